/**
 * The page's only stylesheet, inline. System fonts only: a web font would be a fetch. Laid out for
 * 1280 px, readable down to a 390 px phone: below 600 px the tables stack each row into "label value"
 * lines (a few detail columns are left out), and each chart is drawn at the size that fits (svg-line-chart.ts),
 * so nothing scrolls sideways and no text is smaller than 11 px.
 */
export const PAGE_STYLE = `
*{box-sizing:border-box}
body{
  margin:0;background:#f1f4f8;color:#1e293b;
  font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;
}
main{max-width:1180px;margin:0 auto;padding:24px 24px 40px}
a{color:#1d4ed8}
h1{margin:0;font-size:24px;font-weight:650;letter-spacing:-.01em;overflow-wrap:anywhere}
h2{margin:0 0 4px;font-size:17px;font-weight:650}
h3{margin:18px 0 8px;font-size:13px;font-weight:600;color:#475569;text-transform:uppercase;letter-spacing:.04em}
.top{display:flex;justify-content:space-between;align-items:flex-start;gap:24px;margin-bottom:20px}
.back{margin:0 0 6px}
.notice{
  display:inline-block;margin:8px 0 0;padding:4px 10px;border-radius:4px;background:#fef3c7;color:#78350f;
  font-weight:600;font-size:13px;
}
.fresh{display:grid;grid-template-columns:auto auto;gap:2px 12px;margin:0;font-size:12.5px}
.fresh dt{color:#64748b;text-align:right}
.fresh dd{margin:0;font-variant-numeric:tabular-nums}
.age{color:#64748b}
.never{color:#b91c1c;font-weight:600}
.card{
  background:#fff;border:1px solid #dde3ea;border-radius:8px;padding:20px 24px;margin-bottom:16px;min-width:0;
  container-type:inline-size;
}
.kpis{display:grid;grid-template-columns:repeat(auto-fit,minmax(170px,1fr));gap:12px;margin-bottom:16px}
.kpi{margin:0;padding:14px 16px}
.k-l{font-size:12px;color:#64748b;text-transform:uppercase;letter-spacing:.04em}
.k-v{font-size:24px;font-weight:650;margin:4px 0 0;overflow-wrap:anywhere}
.k-u{font-size:12px;color:#64748b}
.k-c{font-size:12px;color:#475569;margin-top:6px;font-variant-numeric:tabular-nums}
.k-c.good{color:#15803d}
.k-c.bad{color:#b91c1c}
.kpi.alert{background:#fff7ed;border-color:#fdba74}
.row{display:grid;grid-template-columns:repeat(auto-fit,minmax(320px,1fr));gap:16px}
.row>.card{margin-bottom:16px}
.sub{margin:0 0 8px;color:#475569}
.amt{font-variant-numeric:tabular-nums}
.neg{color:#b91c1c}
.na{color:#64748b;font-style:italic}
.range{color:#64748b;font-size:12px}
.callout{margin:12px 0 0;padding:8px 12px;border-left:4px solid #ea580c;background:#fff7ed;color:#7c2d12}
.legend{list-style:none;margin:8px 0 0;padding:0;display:flex;flex-wrap:wrap;gap:6px 20px}
.legend li{display:flex;align-items:center;gap:6px}
.swatch{display:inline-block;width:12px;height:12px;border-radius:2px;flex:none}
.lg-l{font-weight:600}
.lg-d{color:#475569}
.health .hs{list-style:none;margin:6px 0 0;padding:0;display:flex;flex-wrap:wrap;gap:4px 22px;font-size:15px}
.health .hs li{display:flex;align-items:center;gap:6px}
.hs-note{margin:6px 0 0;color:#475569;font-size:13px}
.hs-note.bad{color:#b91c1c;font-weight:600}
.bars{list-style:none;margin:8px 0 0;padding:0}
.bars li{display:grid;grid-template-columns:minmax(0,260px) minmax(0,1fr);gap:4px 12px;align-items:center;padding:3px 0}
.bar-l{text-align:right;overflow-wrap:anywhere}
.bar-t{display:flex;align-items:center;gap:6px;min-width:0}
.bar{display:block;height:18px;border-radius:2px;flex:none;max-width:calc(100% - 110px)}
.bar-v{font-size:12.5px;color:#334155;font-variant-numeric:tabular-nums;white-space:nowrap}
svg{display:block;max-width:100%;height:auto;margin-top:8px;font-family:inherit}
svg .lbl{font-size:13px;fill:#1e293b}
svg .val{font-size:12.5px;fill:#334155;font-variant-numeric:tabular-nums}
svg .tick{font-size:12px;fill:#64748b}
svg .foot{font-size:11.5px;fill:#475569}
svg .grid{stroke:#e2e8f0;stroke-width:1}
.chart-n,.chart-m{display:none}
.more{margin:8px 0 12px;color:#475569}
.empty{color:#64748b;font-style:italic}
table{width:100%;border-collapse:collapse;font-size:13px;margin-top:8px}
table.narrow{width:auto;min-width:480px}
th{text-align:left;font-weight:600;color:#475569;border-bottom:2px solid #dde3ea;padding:6px 10px}
th a{color:inherit}
td{border-bottom:1px solid #eef1f5;padding:6px 10px;vertical-align:top}
.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
.name{font-weight:600;overflow-wrap:anywhere}
.pill{
  display:inline-block;padding:1px 8px;border-radius:10px;color:#fff;font-size:12px;font-weight:600;
  white-space:nowrap;
}
footer{color:#64748b;font-size:12px;text-align:center}
@container (max-width:1000px){.chart-w{display:none}.chart-m{display:block}}
@container (max-width:600px){.chart-m{display:none}.chart-n{display:block}}
@container (max-width:560px){
  table.narrow{min-width:0;width:100%}
  table.stack thead{display:none}
  table.stack,table.stack tbody,table.stack tr,table.stack td{display:block;width:100%}
  table.stack tr{border-bottom:1px solid #dde3ea;padding:6px 0}
  table.stack td{border:0;padding:2px 0;display:flex;justify-content:space-between;gap:12px;text-align:right}
  table.stack td::before{content:attr(data-label);color:#64748b;font-weight:600;text-align:left;flex:none}
  table.stack td:first-child{font-size:14px;text-align:left}
  table.stack td:first-child::before{content:none}
  table.stack .wide-only{display:none}
  .num{white-space:normal}
  .bars li{grid-template-columns:minmax(0,1fr)}
  .bar-l{text-align:left}
}
@media (max-width:900px){
  .top{flex-direction:column}
  .fresh dt{text-align:left}
}
@media (max-width:600px){
  main{padding:12px 10px 28px}
  .card{padding:14px 14px}
  .kpis{grid-template-columns:repeat(2,minmax(0,1fr));gap:8px}
  .kpi{padding:10px 12px}
  .k-v{font-size:20px}
  .row{grid-template-columns:minmax(0,1fr)}
  .fresh{grid-template-columns:minmax(0,1fr)}
  .fresh dd{margin-bottom:4px}
}
`;

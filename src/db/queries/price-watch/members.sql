-- The VPS priced on a plan and cycle, by the source of their cost ("get_price_list rid 10 quarterly
-- / 3 months", "get_price_list rid 20 pricing.*.annually / 12 months"; an hourly instance is priced
-- at its plan's monthly price). Overridden and decommissioned rows carry another source.
SELECT v.id::text AS "vpsId", v.hostwinds_instance_id AS serviceid
  FROM vps_instances v
 WHERE v.status IS DISTINCT FROM 'decommissioned'
   AND substring(v.approximate_cost_source FROM '^get_price_list rid (\S+) ') = :rid
   AND substring(v.approximate_cost_source FROM '^get_price_list rid \S+ (?:pricing\.\*\.)?([a-z]+)') = :cycle
 ORDER BY v.id

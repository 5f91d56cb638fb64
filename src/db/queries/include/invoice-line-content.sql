-- A line "l"'s content and charge as texts that name them whole (format's %L quotes each value and
-- writes NULL bare, so NULL stays apart from '' and no two contents share a text), for
-- corrections.sql: "the same line" is the same content, "the same charge moved" the same charge.
format('%L,%L,%L,%L,%L,%L,%L,%L,%L', l.description, l.amount_usd, l.service_id, l.ip, l.hostname,
       l.category, l.period_start, l.period_end, l.first_month) AS content,
format('%L,%L,%L,%L,%L', l.amount_usd, l.service_id, l.ip, l.hostname, l.category) AS charge

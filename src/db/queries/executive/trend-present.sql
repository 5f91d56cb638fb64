-- Whether the month-close trend view exists yet (issue 14 adds it): the page's trend lights up once it does.
SELECT to_regclass('executive_monthly_trend') IS NOT NULL AS present

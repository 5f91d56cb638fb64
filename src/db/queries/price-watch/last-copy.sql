-- The catalogue as the previous price watch kept it: each plan's offered price per cycle, exact.
SELECT rid, billing_cycle AS cycle, price::text AS price
  FROM cost_catalogue_prices

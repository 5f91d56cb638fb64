-- The import's ANALYZE of its temporary tables (analyze-*.sql) samples 300 × this many rows: the
-- default 100 reads 30,000 wide rows each time, for joins whose plans a tenth of that decides as
-- well (hash joins on a few keys). For this transaction only.
SET LOCAL default_statistics_target = 10

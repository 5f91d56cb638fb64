-- When the latest digest was taken (zero or one row): the next digest starts there.
SELECT taken_at AS "takenAt" FROM cost_digests ORDER BY taken_at DESC, id DESC LIMIT 1

SELECT count(*)::int AS n FROM vps_instances

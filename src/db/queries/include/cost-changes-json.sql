-- Included by the cost writes: the rows of their `changed` CTE as JSON (exact decimals as text), for
-- the one row a write returns.
(SELECT COALESCE(json_agg(json_build_object('id', id, 'old_value', old_value::text,
       'new_value', new_value::text, 'source', source)), '[]'::json) FROM changed)

-- What the member asked about a change answered: confirmed (its own price is the new one), not, or unknown (NULL).
UPDATE cost_catalogue_price_changes
   SET confirmed = :confirmed::boolean, verified_serviceid = :serviceid, verified_note = :note
 WHERE id = :id::bigint

SELECT id, state FROM cost_savings_opportunities WHERE id = :id

-- The untracked instances a run has already recorded (priced): a resumed run does not price them again.
SELECT serviceid FROM cost_untracked_instances WHERE run_id = :runId::uuid

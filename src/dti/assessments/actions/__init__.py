"""Every change of assessment data, one function per action: each checks the policy, writes, and records its
audit entry in the same transaction, and leaves nothing half-done.

One module per concept: ``frameworks`` (a framework file imported once), ``units`` (created, renamed, their
lineage), ``periods`` (created, moved along their states, the units taking part, reviewers, the decision's
settings), ``imports`` (a period's results from a file); the year's work: ``declarations`` (drafts, submit,
reopen), ``reviews`` (accept, adjust, ask, second review), ``appeals``, ``evidence``; ``notifications`` writes the
mail they announce to the outbox.
"""

"""A round's workflow, from a proposal file to applied changes: what municipalities and
editors do between two releases.

It owns the derived state of a round (`state`: changes, decisions, standings), opening,
extending and closing it (`rounds`), writing a proposal file to fill in (`propose`), who has
answered (`status`), word diffs, conflicts and duplicates (`review`), which amendments can be
combined into one text (`combine`), recording decisions (`decide`, and many at once from a
CSV sheet: `sheet`), applying them in one commit (`apply`), who may change what in a pull
request (`check_pr`), the logins a municipality submits with (`access`) and
`.github/CODEOWNERS` (`codeowners`). A new step of the round goes here, one module per
step. It may import `valreg.registry` and the base modules, never `versions`, `publishing`
or `cli`.
"""

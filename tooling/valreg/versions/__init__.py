"""Versions of the set of values: releases, their tags, and what changed between two.

It owns cutting a release (manifest, commit, annotated tag), verifying tags against
manifests and values, recreating missing tags (`release`), and the typed changelog
between two releases, refs or the work tree (`changelog`; no rendering, which is
`valreg.publishing.changelog`). It may import `valreg.workflow`, `valreg.registry` and the
base modules, never `publishing` or `cli`.
"""

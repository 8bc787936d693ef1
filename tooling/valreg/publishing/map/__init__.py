"""Answers by region, as pictures: a bar chart of each region's standings and a map of
the municipalities coloured by standing, for the report and the site.

It owns the municipalities' simplified boundaries (`kommuner.json`, made from DAGI by
`scripts/simplify_map.py`; their source and attribution in `README.md` beside it, read by
`shapes`), the two figures laid out once as plain shapes and texts (`layout`), and one
renderer per format: inline SVG for HTML (`svg`) and PNG for Word (`png`, with Pillow).
Every text is escaped by its renderer. It may import `workflow`, `registry` and the base
modules, never the rest of `publishing` or `cli`.
"""

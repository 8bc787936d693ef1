"""Everything valreg writes for people to read, in the registry's language (Danish here).

It owns the one jinja2 set-up for public HTML (`html`), the changelog's renderers
(`changelog`: Markdown, JSON, HTML), the consultation report (`report`), the static site
(`site`), the JSON Schemas of the file kinds and documents (`schema`), a new registry's
files (`scaffold`, `valreg init`), and their templates (`templates/`) and example data
(`example/`). A new output format or public page goes here, beside the data it renders.
It may import `versions`, `workflow`, `registry` and the base modules, never `cli`.
"""

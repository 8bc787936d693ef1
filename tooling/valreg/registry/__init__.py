"""Reading and validating a registry: everything `valreg check` needs, and nothing that writes
to the registry's files.

It owns the safe YAML reader and the one round-trip writer configuration (`yamlio`), the
models of the file kinds (`models`), one file's bytes to its model or diagnostics
(`parse`), the rule table and the output formats of diagnostics (`diagnostics`), the
Snapshot of a work tree or a commit (`snapshot`), each file's part in the cross-file rules
(`facts`), the parse cache under the git directory (`cache`), the cross-file rules
(`rules`), the check command's library function (`check`) and `valreg info` (`summary`).
A new file kind starts in `models`; a new rule goes into `rules` with a code in
`diagnostics`. It may import the base modules (`valreg._git`, `errors`, `atomic`,
`clock`, `danish`, `transaction`) and nothing else of valreg.
"""

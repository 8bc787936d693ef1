"""The registry's context kept up to date one file at a time (`facts.update_context`, as
`check --since` does with the cache) is the context built afresh from every file."""

from __future__ import annotations

import dataclasses

from hypothesis import given
from hypothesis import strategies as st

from valreg.registry.facts import Context, FileFacts, build_context, update_context

# Stems where one is a prefix of another: "a" sorts before "a-b", "values/a.yaml" after
# "values/a-b.yaml".
STEMS = ["a", "a-b", "a-a", "ab", "b", "b-1"]
VERSIONS = ["2019.1", "2019.2", "2020.1"]


def _value(valid: bool, number: int | None) -> FileFacts:
    return FileFacts("value", valid, number=number if valid else None)


def _release(version: str | None) -> FileFacts:
    return FileFacts("release", version is not None, version=version)


values = st.dictionaries(
    st.sampled_from(STEMS).map(lambda stem: f"values/{stem}.yaml"),
    st.builds(_value, st.booleans(), st.one_of(st.none(), st.integers(1, 4))),
)
releases = st.dictionaries(
    st.sampled_from(VERSIONS).map(lambda v: f"registry/releases/{v}.yaml"),
    st.builds(_release, st.one_of(st.none(), st.sampled_from(VERSIONS))),
)
registries = st.builds(lambda v, r: {**v, **r}, values, releases)


def _without_changes(context: Context) -> Context:
    return dataclasses.replace(context, changes={})


@given(registries, registries)
def test_update_context_is_build_context_of_the_new_files(
    old: dict[str, FileFacts], new: dict[str, FileFacts]
) -> None:
    touched = {p for p in old.keys() | new.keys() if old.get(p) != new.get(p)}
    updated = update_context(
        build_context(old),
        {p: old[p] for p in touched if p in old},
        {p: new[p] for p in touched if p in new},
        {},
    )
    assert _without_changes(updated) == _without_changes(build_context(new))

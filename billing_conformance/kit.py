"""The kit as a pytest plugin for any project: the step library, the conformance plugin and the
business-language failures, and :func:`scenarios`, which binds feature files to them with test
ids that name each scenario's rule.

A project that writes its own features on the kit's steps needs two files (docs/extending.md):
a ``conftest.py`` with ``pytest_plugins = ["billing_conformance.kit"]`` and a test module with
``from billing_conformance.kit import scenarios`` and ``scenarios("features")``. Each plugin is
registered by its module's name, so registering them again (the checkout's own ``conftest.py``,
the ``pytest11`` entry point, ``billing-conformance run``) changes nothing.
"""

from __future__ import annotations

import inspect
import os
from collections.abc import Callable, Iterator

from pytest_bdd import scenario
from pytest_bdd.feature import get_features
from pytest_bdd.parser import ScenarioTemplate
from pytest_bdd.scenario import make_python_name

from billing_conformance.catalog import RULE_ID
from steps import PLUGINS

__all__ = ["CACHE_FOLDER", "KIT_PLUGINS", "names_of", "pytest_plugins", "scenarios"]

#: Where pytest's cache lives, inside the results folder (``run``, and plain pytest with ``--results``).
CACHE_FOLDER = ".pytest-cache"
#: The kit's own pytest plugins, by module name (none of them imported here: pytest imports each,
#: so that its asserts are rewritten).
KIT_PLUGINS = (*PLUGINS, "billing_conformance.pytest_plugin", "billing_conformance.plain")
pytest_plugins = list(KIT_PLUGINS)


def names_of(template: ScenarioTemplate) -> Iterator[str]:
    """The names a scenario's test may take, first choice first: ``test_<RULE>__<scenario>``
    (``test_BR_CANCEL_PAUSED__the_schedule_is_paused``), with ``_1``, ``_2`` ... after it when
    the name is taken; ``test_<scenario>`` for a scenario outside a rule with an ID tag."""
    tags = template.rule.tags if template.rule is not None else set()
    rules = sorted(tag for tag in tags if RULE_ID.match(tag))
    head = f"test_{rules[0].replace('-', '_')}__" if rules else "test_"
    base = f"{head}{make_python_name(template.name)}"
    yield base
    index = 0
    while True:
        index += 1
        yield f"{base}_{index}"


def scenarios(*feature_paths: str) -> None:
    """Bind every scenario of the feature files below ``feature_paths`` (relative to the calling
    module's folder, or absolute) to a test in the calling module, as ``pytest_bdd.scenarios``
    does, named by :func:`names_of`."""
    frame = inspect.currentframe()
    assert frame is not None
    assert frame.f_back is not None
    module = frame.f_back.f_globals
    here = os.path.dirname(os.path.abspath(str(module["__file__"])))
    paths = [os.path.normpath(os.path.join(here, path)) for path in feature_paths]
    for feature in get_features(paths):
        for template in feature.scenarios.values():
            test = _bound(feature.filename, template.name)
            name = next(n for n in names_of(template) if n not in module)
            test.__name__ = name
            module[name] = test


def _bound(filename: str, name: str) -> Callable[..., object]:
    @scenario(filename, name)
    def _scenario() -> None:
        pass  # pragma: no cover  (pytest-bdd runs the steps)

    return _scenario

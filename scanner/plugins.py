"""The plugin manager: built-in checks and third-party plugins through the same hooks.

Built-ins are listed in :data:`DEFAULT_PLUGINS` and always imported; third-party plugins come from
entry points of group ``eobscan``. ``EOBSCAN_PLUGINS`` (a comma list; empty means none) loads only
the named third-party plugins, and ``EOBSCAN_DISABLE`` (a comma list) turns plugins off by name,
built-in or not. A plugin that fails to import or to register is reported by name and the others
still load; two plugins claiming one rule code is an error, because codes are the users' handle.
"""

from __future__ import annotations

import importlib
import importlib.metadata
import os
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import msgspec
import pluggy

from scanner import hookspecs
from scanner.checks import Check, rule_problems
from scanner.model import PluginInfo, Rule
from scanner.settings import SettingError

ENTRY_POINT_GROUP = "eobscan"

#: The built-in plugins, one module per error class.
DEFAULT_PLUGINS: tuple[str, ...] = (
    "plugins.checks.insurer_processing",
    "plugins.checks.coordination_of_benefits",
    "plugins.checks.network",
    "plugins.checks.oop_max",
    "plugins.checks.balance_billing",
    "plugins.checks.denial",
    "plugins.checks.pricing",
    "plugins.checks.duplicate",
    "scanner.ingest.parsers",
)


class RegistryError(Exception):
    """The installed plugins cannot work together (two plugins claim one rule code)."""


class PluginFailure(msgspec.Struct, kw_only=True):
    """A plugin that could not be used, and why (exception type and our own words only)."""

    name: str
    stage: str
    reason: str


@dataclass
class Registry:
    """What the plugins registered: the checks and parsers the engine and ingest use."""

    checks: list[Any] = field(default_factory=list)
    parsers: list[Any] = field(default_factory=list)
    plugins: list[PluginInfo] = field(default_factory=list)
    failures: list[PluginFailure] = field(default_factory=list)
    rules: dict[str, Rule] = field(default_factory=dict)
    #: The plugin processes running third-party checks (``EOBSCAN_PLUGIN_PROCESS``), if any.
    processes: Any = None
    #: The ids of the checks that ship with EOB Scanner (see :func:`scanner.engine.scan`).
    builtin_checks: set[int] = field(default_factory=set)

    def all_builtin(self) -> bool:
        """Whether every check is one of ours: then no scan waits on plugin code."""
        return all(id(check) in self.builtin_checks for check in self.checks)

    def rule(self, code: str) -> Rule | None:
        return self.rules.get(code.upper())


@dataclass
class _Candidate:
    name: str
    version: str
    builtin: bool
    load: Callable[[], object]


def _names(value: str | None) -> set[str] | None:
    if value is None:
        return None
    return {part.strip() for part in value.split(",") if part.strip()}


def _project_version() -> str:
    try:
        return importlib.metadata.version("eob-scanner")
    except importlib.metadata.PackageNotFoundError:
        return "0+unknown"


def _candidates(
    env: Mapping[str, str], *, builtin: bool = True, third_party: bool = True
) -> list[_Candidate]:
    version = _project_version()
    found = [
        _Candidate(module.rsplit(".", 1)[-1], version, True, _importer(module))
        for module in (DEFAULT_PLUGINS if builtin else ())
    ]
    allowed = _names(env.get("EOBSCAN_PLUGINS")) if third_party else set()
    for ep in sorted(importlib.metadata.entry_points(group=ENTRY_POINT_GROUP), key=lambda e: e.name):
        if allowed is not None and ep.name not in allowed:
            continue
        dist_version = ep.dist.version if ep.dist else "0+unknown"
        found.append(_Candidate(ep.name, dist_version, False, ep.load))
    disabled = _names(env.get("EOBSCAN_DISABLE")) or set()
    return [c for c in found if c.name not in disabled]


def _importer(module: str) -> Callable[[], object]:
    return lambda: importlib.import_module(module)


def _unknown_hooks(exc: pluggy.PluginValidationError) -> str:
    # pluggy's message names the unknown hook; it holds code names only, no data.
    return str(exc).split("\n")[0][:300]


def _failure(name: str, stage: str, exc: BaseException) -> PluginFailure:
    # The exception's own text may quote data; only its type is reported.
    return PluginFailure(name=name, stage=stage, reason=f"{type(exc).__name__} while {stage}")


def load_registry(env: Mapping[str, str] | None = None) -> Registry:
    """Load every enabled plugin and collect what it registers.

    With ``EOBSCAN_PLUGIN_PROCESS=1`` the third-party plugins are loaded and run in a process of
    their own (:mod:`scanner.plugin_host`); only the built-ins are imported here.
    """
    env = os.environ if env is None else env
    if env.get("EOBSCAN_PLUGIN_PROCESS", "").strip().lower() in {"1", "true", "yes", "on"}:
        from scanner.plugin_host import load_with_plugin_process

        return load_with_plugin_process(env)
    return _load(env, builtin=True, third_party=True)


def load_builtins(env: Mapping[str, str]) -> Registry:
    """The built-in plugins only (``EOBSCAN_DISABLE`` still applies)."""
    return _load(env, builtin=True, third_party=False)


def load_third_party(env: Mapping[str, str]) -> Registry:
    """The enabled third-party plugins only: what the plugin process runs."""
    return _load(env, builtin=False, third_party=True)


def add_rules(registry: Registry, plugin: str, rules: Iterable[Rule], owners: dict[str, str]) -> None:
    """Add a plugin's rules; two plugins claiming one code is an error (codes are users' handle)."""
    for rule in rules:
        if rule.code in owners:
            raise RegistryError(
                f"rule code {rule.code} is claimed by both plugin {owners[rule.code]!r} and plugin {plugin!r}"
            )
        owners[rule.code] = plugin
        registry.rules[rule.code] = rule


def _load(env: Mapping[str, str], *, builtin: bool, third_party: bool) -> Registry:
    pm = pluggy.PluginManager("eobscan")
    pm.add_hookspecs(hookspecs)
    registry = Registry()
    loaded: list[_Candidate] = []
    for candidate in _candidates(env, builtin=builtin, third_party=third_party):
        try:
            pm.register(candidate.load(), name=candidate.name)
        except Exception as exc:
            registry.failures.append(_failure(candidate.name, "importing", exc))
            continue
        try:
            pm.check_pending()  # a misspelled hook name is this plugin's failure, said loudly
        except pluggy.PluginValidationError as exc:
            pm.unregister(name=candidate.name)
            registry.failures.append(
                PluginFailure(name=candidate.name, stage="validating hooks", reason=_unknown_hooks(exc))
            )
            continue
        loaded.append(candidate)
    owners: dict[str, str] = {}
    for candidate in loaded:
        plugin = pm.get_plugin(candidate.name)
        checks = _collect(pm, plugin, "eobscan_register_checks", candidate, registry)
        parsers = _collect(pm, plugin, "eobscan_register_parsers", candidate, registry)
        good_checks = [c for c in checks if _valid_check(c, candidate, registry)]
        for check in good_checks:
            add_rules(registry, candidate.name, check.rules, owners)
        registry.checks.extend(good_checks)
        if candidate.builtin:
            registry.builtin_checks.update(id(check) for check in good_checks)
        registry.parsers.extend(parsers)
        registry.plugins.append(
            PluginInfo(
                name=candidate.name,
                version=candidate.version,
                builtin=candidate.builtin,
                checks=[c.name for c in good_checks],
                parsers=[p.name for p in parsers],
            )
        )
    return registry


def _collect(
    pm: pluggy.PluginManager, plugin: object, hook: str, candidate: _Candidate, registry: Registry
) -> list[Any]:
    registered: list[Any] = []
    caller = getattr(pm.hook, hook)
    for impl in caller.get_hookimpls():
        if impl.plugin is not plugin:
            continue
        try:
            impl.function(**_arguments(impl.argnames, registered.append))
        except SettingError:
            raise  # the user's EOBSCAN_* setting is wrong: say so and stop, do not drop the check
        except Exception as exc:
            registry.failures.append(_failure(candidate.name, f"running {hook}", exc))
            return []
    return registered


def _arguments(argnames: Iterable[str], register: Callable[[Any], None]) -> dict[str, Any]:
    return {name: register for name in argnames if name == "register"}


def _valid_check(check: object, candidate: _Candidate, registry: Registry) -> bool:
    if not isinstance(check, Check):
        registry.failures.append(
            PluginFailure(
                name=candidate.name,
                stage="registering checks",
                reason="registered an object that is not a Check",
            )
        )
        return False
    problems = [p for rule in check.rules for p in rule_problems(rule)]
    problems += [
        f"rule {rule.code} says check {rule.check!r}, not {check.name!r}"
        for rule in check.rules
        if rule.check != check.name
    ]
    if problems:
        registry.failures.append(
            PluginFailure(name=candidate.name, stage="registering checks", reason="; ".join(problems))
        )
        return False
    return True


@lru_cache(maxsize=1)
def default_registry() -> Registry:
    """The registry for this process's environment, loaded once."""
    return load_registry()

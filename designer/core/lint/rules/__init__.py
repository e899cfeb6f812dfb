"""Lint rules, one module per rule, discovered by ``designer.core.lint.registry``.

Module contract: ``ID``, ``DEFAULT_SEVERITY``, ``CATEGORY``, optional ``OPTIONS`` / ``SCOPE`` /
``DEPENDS``, a docstring with Flags/Why/Source/Fails/Passes, and ``check(model, options)``.
Modules whose name starts with an underscore are shared helpers, not rules.
"""

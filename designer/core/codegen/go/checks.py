"""Go code for the schema checks of ``schema_checks``: one function per check over the value
``encoding/json`` decodes into ``any`` (with UseNumber), appending problems with JSON paths."""
from __future__ import annotations

from designer.core.codegen import schema_checks as sc
from designer.core.codegen.common import Scope, c_string
from designer.core.model import JSON


def _go(text: str) -> str:
    return c_string(text, astral="go")


def _num(v: float) -> str:
    return repr(float(v)) if not float(v).is_integer() else str(int(v))


_GO_TYPE = {"object": "map[string]any", "array": "[]any", "string": "string"}


class GoChecks:
    """Renders the checks of every message of one service into one Go file's functions."""

    def __init__(self, scope: Scope) -> None:
        self.scope = scope  # unexported package-level names
        self.funcs: list[str] = []
        self.vars: list[tuple[str, str]] = []
        self.imports: set[str] = set()
        self.names: dict[str, str] = {}

    def name_of(self, key: str | None) -> str:
        if key is None:
            return "acceptAny"
        return self.names[key]

    def add(self, mc: sc.MessageChecks) -> str:
        """Render ``mc``'s checks; returns the function checking the payload."""
        for c in mc.checks:
            self.names[c.key] = self.scope.name("check:" + c.key, "check " + c.suggestion)
        for c in mc.checks:
            self.funcs.append(self._func(c))
        return self.name_of(mc.root)

    def _var(self, suggestion: str, expr: str) -> str:
        name = self.scope.name(f"var:{len(self.vars)}", suggestion)
        self.vars.append((name, expr))
        return name

    def _func(self, c: sc.Check) -> str:
        body: list[str] = []
        add = body.append
        if c.unenforced:
            for u in c.unenforced:
                add(f"\t// Not enforced: {u}".replace("\n", " "))
        if c.ref is not None:
            add(f"\t{self.name_of(c.ref)}(v, path, p)")
        elif c.types is not None:
            if not c.types:
                add('\tp.add(path, "no value is allowed here")')
                add("\treturn")
            else:
                allowed = ", ".join(_go(t) for t in c.types)
                add(f"\tif !hasType(v, {allowed}) {{")
                add(f"\t\tp.add(path, \"must be {' or '.join(c.types)}, not \"+jsonType(v))")
                add("\t\treturn")
                add("\t}")
        if c.enum is not None:
            vals = list(c.enum)
            shown = ", ".join(sc.literal(v) for v in vals)
            msg = _go(f"must be {shown}" if c.enum_keyword == "const" or len(vals) == 1
                      else f"must be one of {shown}")
            if vals and all(isinstance(v, str) for v in vals):
                listed = ", ".join(dict.fromkeys(_go(str(v)) for v in vals))  # no duplicate case
                add("\tswitch v {")
                add(f"\tcase {listed}:")
                add("\tdefault:")
                add(f"\t\tp.add(path, {msg})")
                add("\t}")
            else:
                var = self._var("allowed " + c.suggestion, f"mustParse({_go(sc.literal(vals))})")
                add(f"\tif !oneOfValues(v, {var}) {{")
                add(f"\t\tp.add(path, {msg})")
                add("\t}")
        for k in c.all_of:
            add(f"\t{self.name_of(k)}(v, path, p)")
        if c.any_of:
            fns = ", ".join(self.name_of(k) for k in c.any_of)
            add(f"\tanyOf(v, path, p, {fns})")
        if c.one_of:
            fns = ", ".join(self.name_of(k) for k in c.one_of)
            add(f"\toneOf(v, path, p, {fns})")
        cases = []
        obj = self._object(c)
        if obj:
            cases.append(("map[string]any", obj))
        arr = self._array(c)
        if arr:
            cases.append(("[]any", arr))
        st = self._string(c)
        if st:
            cases.append(("string", st))
        nm = self._number(c)
        if nm:
            self.imports.add("encoding/json")
            cases.append(("json.Number", nm))
        if len(cases) == 1:
            t, lines = cases[0]
            add(f"\tif x, ok := v.({t}); ok {{")
            body.extend("\t" + ln for ln in lines)
            add("\t}")
        elif cases:
            add("\tswitch x := v.(type) {")
            for t, lines in cases:
                add(f"\tcase {t}:")
                body.extend("\t" + ln for ln in lines)
            add("\t}")
        name = self.name_of(c.key)
        head = f"// {name} checks {c.suggestion}.".replace("\n", " ")
        return "\n".join([head, f"func {name}(v any, path string, p *problems) {{", *body, "}"])

    def _object(self, c: sc.Check) -> list[str]:
        out: list[str] = []
        props = {w: k for w, k in c.properties}
        for r in c.required:
            out.append(f"\tif _, ok := x[{_go(r)}]; !ok {{")
            out.append(f"\t\tp.add(path+{_go(sc.json_path('', r))}, \"is required\")")
            out.append("\t}")
        for wire, key in c.properties:
            if key is None:
                continue
            out.append(f"\tif y, ok := x[{_go(wire)}]; ok {{")
            out.append(f"\t\t{self.name_of(key)}(y, path+{_go(sc.json_path('', wire))}, p)")
            out.append("\t}")
        if c.additional is not True:
            out.append("\tfor _, k := range sortedKeys(x) {")
            if props:
                out.append("\t\tswitch k {")
                out.append(f"\t\tcase {', '.join(_go(w) for w in props)}:")
                out.append("\t\t\tcontinue")
                out.append("\t\t}")
            if c.additional is False:
                out.append('\t\tp.add(childPath(path, k), "is not allowed (unknown property)")')
            else:
                out.append(f"\t\t{self.name_of(c.additional)}(x[k], childPath(path, k), p)")
            out.append("\t}")
        if c.min_properties is not None:
            out.append(f"\tif len(x) < {c.min_properties} {{")
            out.append(f"\t\tp.add(path, \"must have at least {c.min_properties} properties\")")
            out.append("\t}")
        if c.max_properties is not None:
            out.append(f"\tif len(x) > {c.max_properties} {{")
            out.append(f"\t\tp.add(path, \"must have at most {c.max_properties} properties\")")
            out.append("\t}")
        return out

    def _array(self, c: sc.Check) -> list[str]:
        out: list[str] = []
        if c.min_items is not None:
            out.append(f"\tif len(x) < {c.min_items} {{")
            out.append(f"\t\tp.add(path, \"must have at least {c.min_items} items\")")
            out.append("\t}")
        if c.max_items is not None:
            out.append(f"\tif len(x) > {c.max_items} {{")
            out.append(f"\t\tp.add(path, \"must have at most {c.max_items} items\")")
            out.append("\t}")
        if c.unique_items:
            out.append("\tif i := firstDuplicate(x); i >= 0 {")
            out.append('\t\tp.add(indexPath(path, i), "repeats an earlier item (uniqueItems)")')
            out.append("\t}")
        if c.items is not None:
            out.append("\tfor i, y := range x {")
            out.append(f"\t\t{self.name_of(c.items)}(y, indexPath(path, i), p)")
            out.append("\t}")
        return out

    def _string(self, c: sc.Check) -> list[str]:
        out: list[str] = []
        if c.min_length is not None:
            out.append(f"\tif runeCount(x) < {c.min_length} {{")
            out.append(f"\t\tp.add(path, \"must be at least {c.min_length} characters long\")")
            out.append("\t}")
        if c.max_length is not None:
            out.append(f"\tif runeCount(x) > {c.max_length} {{")
            out.append(f"\t\tp.add(path, \"must be at most {c.max_length} characters long\")")
            out.append("\t}")
        if c.pattern is not None:
            self.imports.add("regexp")
            var = self._var("pattern " + c.suggestion, f"regexp.MustCompile({_go(c.pattern)})")
            out.append(f"\tif !{var}.MatchString(x) {{")
            out.append(f"\t\tp.add(path, {_go('must match the pattern ' + c.pattern)})")
            out.append("\t}")
        if c.format is not None:
            out.append(f"\tif !validFormat({_go(c.format)}, x) {{")
            out.append(f"\t\tp.add(path, \"must be a valid {c.format}\")")
            out.append("\t}")
        return out

    def _number(self, c: sc.Check) -> list[str]:
        out: list[str] = []
        tests = [(c.minimum, "<", "at least"), (c.exclusive_minimum, "<=", "greater than"),
                 (c.maximum, ">", "at most"), (c.exclusive_maximum, ">=", "less than")]
        tests = [(v, op, w) for v, op, w in tests if v is not None]
        if not tests and c.multiple_of is None:
            return out
        out.append("\tf, _ := x.Float64()")
        for v, op, words in tests:
            assert v is not None
            out.append(f"\tif f {op} {_num(v)} {{")
            out.append(f"\t\tp.add(path, \"must be {words} {_num(v)}\")")
            out.append("\t}")
        if c.multiple_of is not None:
            out.append(f"\tif !multipleOf(f, {_num(c.multiple_of)}) {{")
            out.append(f"\t\tp.add(path, \"must be a multiple of {_num(c.multiple_of)}\")")
            out.append("\t}")
        return out


def literal_json(value: JSON) -> str:
    return _go(sc.literal(value))

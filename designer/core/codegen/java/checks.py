"""Java code for the schema checks of ``schema_checks``: one static method per check over
Jackson's ``JsonNode`` tree, adding ``Json.Problem``s with JSON paths."""
from __future__ import annotations

from designer.core.codegen import schema_checks as sc
from designer.core.codegen.common import Scope, c_string


def _num(v: float) -> str:
    return repr(float(v)) if not float(v).is_integer() else f"{int(v)}.0"


def _shown(v: float) -> str:
    return repr(float(v)) if not float(v).is_integer() else str(int(v))


class JavaChecks:
    """Renders the checks of every message of one service into ``Checks.java``'s methods."""

    def __init__(self, scope: Scope) -> None:
        self.scope = scope
        self.methods: list[str] = []
        self.fields: list[str] = []
        self.names: dict[str, str] = {}

    def name_of(self, key: str | None) -> str:
        return "Json::acceptAny" if key is None else self.names[key]

    def call(self, key: str | None, value: str, path: str) -> str:
        return "" if key is None else f"{self.names[key]}({value}, {path}, p);"

    def add(self, mc: sc.MessageChecks) -> str:
        for c in mc.checks:
            self.names[c.key] = self.scope.name("check:" + c.key, "check " + c.suggestion)
        for c in mc.checks:
            self.methods.append(self._method(c))
        return "Checks::" + self.names[mc.root] if mc.root is not None else "Json::acceptAny"

    def _field(self, suggestion: str, type_: str, expr: str) -> str:
        name = self.scope.name(f"field:{len(self.fields)}", suggestion)
        self.fields.append(f"    private static final {type_} {name} = {expr};")
        return name

    def _method(self, c: sc.Check) -> str:
        body: list[str] = []
        add = body.append
        for u in c.unenforced:
            add(f"        // Not enforced: {u}".replace("\\", "\\\\").replace("\n", " "))
        if c.ref is not None:
            add(f"        {self.names[c.ref]}(v, path, p);")
        elif c.types is not None:
            if not c.types:
                add('        p.add(new Json.Problem(path, "no value is allowed here"));')
                add("        return;")
            else:
                allowed = ", ".join(c_string(t) for t in c.types)
                add(f"        if (!Json.hasType(v, {allowed})) {{")
                add(f"            p.add(new Json.Problem(path, \"must be {' or '.join(c.types)}, not \" + Json.jsonType(v)));")
                add("            return;")
                add("        }")
        if c.enum is not None:
            vals = list(c.enum)
            shown = ", ".join(sc.literal(v) for v in vals)
            msg = c_string(f"must be {shown}" if c.enum_keyword == "const" or len(vals) == 1
                           else f"must be one of {shown}")
            if vals and all(isinstance(v, str) for v in vals):
                lits = ", ".join(c_string(str(v)) for v in dict.fromkeys(vals))
                f = self._field("allowed " + c.suggestion, "java.util.Set<String>",
                                f"java.util.Set.of({lits})")
                add(f"        if (!(v.isTextual() && {f}.contains(v.textValue()))) {{")
            else:
                f = self._field("allowed " + c.suggestion, "JsonNode",
                                f"Json.parse({c_string(sc.literal(vals))})")
                add(f"        if (!Json.oneOfValues(v, {f})) {{")
            add(f"            p.add(new Json.Problem(path, {msg}));")
            add("        }")
        for k in c.all_of:
            add(f"        {self.names[k]}(v, path, p);")
        if c.any_of:
            fns = ", ".join("Checks::" + self.names[k] for k in c.any_of)
            add(f"        Json.anyOf(v, path, p, {fns});")
        if c.one_of:
            fns = ", ".join("Checks::" + self.names[k] for k in c.one_of)
            add(f"        Json.oneOf(v, path, p, {fns});")
        for test, lines in (("v.isObject()", self._object(c)), ("v.isArray()", self._array(c)),
                            ("v.isTextual()", self._string(c)), ("v.isNumber()", self._number(c))):
            if lines:
                add(f"        if ({test}) {{")
                body.extend("    " + ln for ln in lines)
                add("        }")
        name = self.names[c.key]
        what = "".join(ch if 0x20 <= ord(ch) < 0x7F and ch != "\\" else "?"
                       for ch in c.suggestion).replace("*/", "* /")
        doc = f"    /** Checks {what}. */"
        return "\n".join([doc, f"    static void {name}(JsonNode v, String path, java.util.List<Json.Problem> p) {{",
                          *body, "    }"])

    def _object(self, c: sc.Check) -> list[str]:
        out: list[str] = []
        for r in c.required:
            out.append(f"        if (!v.has({c_string(r)})) {{")
            out.append(f"            p.add(new Json.Problem(path + {c_string(sc.json_path('', r))}, \"is required\"));")
            out.append("        }")
        for wire, key in c.properties:
            if key is None:
                continue
            out.append(f"        if (v.has({c_string(wire)})) {{")
            out.append(f"            {self.names[key]}(v.get({c_string(wire)}), path + {c_string(sc.json_path('', wire))}, p);")
            out.append("        }")
        if c.additional is not True:
            known = ", ".join(c_string(w) for w in dict.fromkeys(w for w, _ in c.properties))
            f = self._field("known " + c.suggestion, "java.util.Set<String>",
                            f"java.util.Set.of({known})")
            out.append("        for (String k : Json.sortedKeys(v)) {")
            out.append(f"            if ({f}.contains(k)) {{")
            out.append("                continue;")
            out.append("            }")
            if c.additional is False:
                out.append('            p.add(new Json.Problem(Json.childPath(path, k), "is not allowed (unknown property)"));')
            else:
                out.append(f"            {self.names[c.additional]}(v.get(k), Json.childPath(path, k), p);")
            out.append("        }")
        if c.min_properties is not None:
            out.append(f"        if (v.size() < {c.min_properties}) {{")
            out.append(f"            p.add(new Json.Problem(path, \"must have at least {c.min_properties} properties\"));")
            out.append("        }")
        if c.max_properties is not None:
            out.append(f"        if (v.size() > {c.max_properties}) {{")
            out.append(f"            p.add(new Json.Problem(path, \"must have at most {c.max_properties} properties\"));")
            out.append("        }")
        return out

    def _array(self, c: sc.Check) -> list[str]:
        out: list[str] = []
        if c.min_items is not None:
            out.append(f"        if (v.size() < {c.min_items}) {{")
            out.append(f"            p.add(new Json.Problem(path, \"must have at least {c.min_items} items\"));")
            out.append("        }")
        if c.max_items is not None:
            out.append(f"        if (v.size() > {c.max_items}) {{")
            out.append(f"            p.add(new Json.Problem(path, \"must have at most {c.max_items} items\"));")
            out.append("        }")
        if c.unique_items:
            out.append("        int duplicate = Json.firstDuplicate(v);")
            out.append("        if (duplicate >= 0) {")
            out.append('            p.add(new Json.Problem(Json.indexPath(path, duplicate), "repeats an earlier item (uniqueItems)"));')
            out.append("        }")
        if c.items is not None:
            out.append("        for (int i = 0; i < v.size(); i++) {")
            out.append(f"            {self.names[c.items]}(v.get(i), Json.indexPath(path, i), p);")
            out.append("        }")
        return out

    def _string(self, c: sc.Check) -> list[str]:
        out: list[str] = []
        if c.min_length is not None or c.max_length is not None:
            out.append("        int length = v.textValue().codePointCount(0, v.textValue().length());")
        if c.min_length is not None:
            out.append(f"        if (length < {c.min_length}) {{")
            out.append(f"            p.add(new Json.Problem(path, \"must be at least {c.min_length} characters long\"));")
            out.append("        }")
        if c.max_length is not None:
            out.append(f"        if (length > {c.max_length}) {{")
            out.append(f"            p.add(new Json.Problem(path, \"must be at most {c.max_length} characters long\"));")
            out.append("        }")
        if c.pattern is not None:
            f = self._field("pattern " + c.suggestion, "java.util.regex.Pattern",
                            f"java.util.regex.Pattern.compile({c_string(c.pattern)})")
            out.append(f"        if (!{f}.matcher(v.textValue()).find()) {{")
            out.append(f"            p.add(new Json.Problem(path, {c_string('must match the pattern ' + c.pattern)}));")
            out.append("        }")
        if c.format is not None:
            out.append(f"        if (!Json.validFormat({c_string(c.format)}, v.textValue())) {{")
            out.append(f"            p.add(new Json.Problem(path, \"must be a valid {c.format}\"));")
            out.append("        }")
        return out

    def _number(self, c: sc.Check) -> list[str]:
        out: list[str] = []
        tests = [(c.minimum, "<", "at least"), (c.exclusive_minimum, "<=", "greater than"),
                 (c.maximum, ">", "at most"), (c.exclusive_maximum, ">=", "less than")]
        tests = [(v, op, w) for v, op, w in tests if v is not None]
        if not tests and c.multiple_of is None:
            return out
        for v, op, words in tests:
            assert v is not None
            out.append(f"        if (v.doubleValue() {op} {_num(v)}) {{")
            out.append(f"            p.add(new Json.Problem(path, \"must be {words} {_shown(v)}\"));")
            out.append("        }")
        if c.multiple_of is not None:
            out.append(f"        if (!Json.multipleOf(v.doubleValue(), {_num(c.multiple_of)})) {{")
            out.append(f"            p.add(new Json.Problem(path, \"must be a multiple of {_shown(c.multiple_of)}\"));")
            out.append("        }")
        return out

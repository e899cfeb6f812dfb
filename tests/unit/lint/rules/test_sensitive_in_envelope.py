from designer.core.lint.rules import sensitive_in_envelope as rule
from tests.unit.lint.rules.rules_kit import Channel, brief, model, msg, obj, run, s


def test_it_flags_a_personal_partition_key() -> None:
    (finding,) = run(rule, model([], channels=[Channel("users", partition_key="data.userEmail")]))
    assert (finding.kind, finding.path) == ("channel", "partition_key")


def test_it_flags_channel_parameters_in_the_name_and_extension() -> None:
    channels = [Channel("users.{email}.events"), Channel("x", extensions={"x-parameters": {"apiKey": {}}})]
    found = run(rule, model([], channels=channels))
    assert sorted((f.element, f.path) for f in found) == [("users.{email}.events", "parameters.email"),
                                                        ("x", "parameters.apiKey")]


def test_it_flags_headers_even_when_classified() -> None:
    m = msg(schema=obj(), extensions={"x-headers": obj(useremail=s(**{"x-pii": True}), traceparent=s())})
    assert [f.path for f in run(rule, model([m]))] == ["headers.useremail"]


def test_it_flags_brief_envelope_attributes_but_not_data() -> None:
    schema = brief(data=obj(userEmail=s()), customerPhone=s())
    found = run(rule, model([msg(schema=schema)], profile="brief"))
    assert [f.path for f in found] == ["schema.properties.customerPhone"]


def test_it_flags_custom_envelope_attributes() -> None:
    found = run(rule, model([], profile="custom", envelope_schema=obj(id=s(), authToken=s())))
    assert [(f.kind, f.path) for f in found] == [("model", "envelope.schema.properties.authToken")]


def test_it_passes_opaque_ids() -> None:
    m = model([msg(schema=obj(), extensions={"x-headers": obj(tenantid=s())})],
              channels=[Channel("users.{userId}", partition_key="userId")])
    assert run(rule, m) == []

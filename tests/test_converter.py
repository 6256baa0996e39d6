"""The converter's rules in isolation, on small hand-written attrs classes.

``make_converter`` / ``configure_converter`` (agentstream._converter) install, on any
cattrs converter: wire-name renames from ``attrs.field(metadata={"wire": ...})``;
omit-if-None on unstructure for fields whose default is None; dispatch of unions of
``type``-tagged attrs classes on ``data["type"]``; passthrough of primitive unions; and
strict (extra keys are errors) versus lenient (extra keys are ignored) structuring.
The generated platform types are tested against their schemas in ``test_types.py``.
"""

from __future__ import annotations

from typing import Any, Literal

import attrs
import cattrs
import pytest
from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn

import agentstream._converter as converter_module
from agentstream._converter import configure_converter, make_converter, structure
from agentstream._exceptions import EventDecodeError

MODES = pytest.mark.parametrize("strict", [True, False], ids=["strict", "lenient"])


@attrs.frozen(kw_only=True)
class Cat:
    type: Literal["cat"] = "cat"
    lives: int


@attrs.frozen(kw_only=True)
class Dog:
    type: Literal["dog"] = "dog"
    good_boy: bool = attrs.field(metadata={"wire": "goodBoy"})


@attrs.frozen(kw_only=True)
class Owner:
    user_id: str = attrs.field(metadata={"wire": "userId"})
    pet: Cat | Dog
    spare: Cat | Dog | None = None
    tag: str | int = 0
    middle_name: str | None  # required but nullable: None is kept on unstructure
    nickname: str | None = None  # optional: None is left out
    score: int | None = 5  # default is not None: None is kept
    home_town: str | None = attrs.field(default=None, metadata={"wire": "homeTown"})


OWNER_WIRE: dict[str, Any] = {
    "userId": "u1",
    "pet": {"type": "dog", "goodBoy": True},
    "middle_name": None,
}


def _errors(exc: BaseException) -> list[str]:
    """cattrs' one-line messages (``... @ $.path``) for a structuring error."""
    return cattrs.transform_error(exc)


# --- renames --------------------------------------------------------------------------


@MODES
def test_wire_names_are_renamed_both_ways(strict: bool) -> None:
    conv = make_converter(strict=strict)
    owner = conv.structure({**OWNER_WIRE, "homeTown": "Oslo"}, Owner)
    assert owner.user_id == "u1"
    assert owner.home_town == "Oslo"
    assert owner.pet == Dog(good_boy=True)
    wire = conv.unstructure(owner)
    assert wire["userId"] == "u1"
    assert wire["homeTown"] == "Oslo"
    assert wire["pet"] == {"type": "dog", "goodBoy": True}
    assert not {"user_id", "home_town", "good_boy"} & {*wire, *wire["pet"]}


@MODES
def test_python_name_is_not_a_wire_name(strict: bool) -> None:
    data = {**OWNER_WIRE, "pet": {"type": "dog", "good_boy": True}}
    with pytest.raises(cattrs.ClassValidationError):
        make_converter(strict=strict).structure(data, Owner)
    # Through the module's structure(), the error names the field as the wire does.
    with pytest.raises(EventDecodeError) as info:
        structure(data, Owner, strict=strict)
    assert info.value.path == "$.pet.goodBoy"
    assert "goodBoy" in str(info.value)
    assert ("good_boy" in str(info.value)) is strict  # strict also names the unknown key


# --- omit-if-None on unstructure --------------------------------------------------------


def test_none_is_left_out_only_where_the_default_is_none() -> None:
    conv = make_converter()
    owner = Owner(user_id="u1", pet=Cat(lives=9), middle_name=None, score=None)
    assert conv.unstructure(owner) == {
        "userId": "u1",
        "pet": {"type": "cat", "lives": 9},
        "tag": 0,
        "middle_name": None,
        "score": None,
    }


def test_set_optional_fields_are_kept() -> None:
    owner = Owner(
        user_id="u1",
        pet=Cat(lives=1),
        spare=Dog(good_boy=False),
        middle_name="M",
        nickname="Nick",
        home_town="Oslo",
    )
    wire = make_converter().unstructure(owner)
    assert wire["spare"] == {"type": "dog", "goodBoy": False}
    assert (wire["middle_name"], wire["nickname"], wire["homeTown"]) == ("M", "Nick", "Oslo")
    assert wire["score"] == 5


@MODES
def test_round_trip(strict: bool) -> None:
    conv = make_converter(strict=strict)
    data = {
        **OWNER_WIRE,
        "spare": {"type": "cat", "lives": 3},
        "tag": "t",
        "nickname": "N",
        "score": 1,
        "homeTown": "Oslo",
    }
    assert conv.unstructure(conv.structure(data, Owner)) == data


# --- tagged unions ----------------------------------------------------------------------


@MODES
@pytest.mark.parametrize(
    ("pet", "cls"),
    [({"type": "cat", "lives": 9}, Cat), ({"type": "dog", "goodBoy": False}, Dog)],
    ids=["cat", "dog"],
)
def test_tagged_union_dispatches_on_type(strict: bool, pet: dict[str, Any], cls: type) -> None:
    conv = make_converter(strict=strict)
    owner = conv.structure({**OWNER_WIRE, "pet": pet, "spare": pet}, Owner)
    assert type(owner.pet) is cls
    assert type(owner.spare) is cls  # Optional of a tagged union
    assert conv.unstructure(owner.pet) == pet


@MODES
def test_optional_tagged_union_accepts_null_and_absence(strict: bool) -> None:
    conv = make_converter(strict=strict)
    assert conv.structure({**OWNER_WIRE, "spare": None}, Owner).spare is None
    assert conv.structure(OWNER_WIRE, Owner).spare is None


def test_dispatch_uses_the_tag_not_the_field_names() -> None:
    # A dog payload that also carries a cat's field is still a dog (cattrs' own union
    # disambiguation would guess from field names).
    pet = {"type": "dog", "goodBoy": True, "lives": 9}
    owner = make_converter().structure({**OWNER_WIRE, "pet": pet}, Owner)
    assert owner.pet == Dog(good_boy=True)


def test_unknown_variant_lenient_stays_the_same_dict() -> None:
    pet = {"type": "parrot", "words": 12}
    conv = make_converter()
    owner: Any = conv.structure({**OWNER_WIRE, "pet": pet, "spare": pet}, Owner)
    assert owner.pet is pet  # annotated as Cat | Dog, but lenient keeps the dict
    assert owner.spare is pet
    assert conv.unstructure(owner)["pet"] == {"type": "parrot", "words": 12}


@pytest.mark.parametrize("field", ["pet", "spare"])
def test_unknown_variant_strict_is_an_error_at_its_path(field: str) -> None:
    data = {**OWNER_WIRE, field: {"type": "parrot"}}
    with pytest.raises(cattrs.ClassValidationError) as info:
        make_converter(strict=True).structure(data, Owner)
    (message,) = _errors(info.value)
    assert message.endswith(f"@ $.{field}")
    (cause,) = info.value.exceptions
    assert isinstance(cause, ValueError)
    assert "unknown variant" in str(cause)
    assert "parrot" in str(cause)


# --- primitive unions -------------------------------------------------------------------


@MODES
@pytest.mark.parametrize("tag", ["seven", 7])
def test_primitive_union_passes_through(strict: bool, tag: str | int) -> None:
    conv = make_converter(strict=strict)
    owner = conv.structure({**OWNER_WIRE, "tag": tag}, Owner)
    assert owner.tag == tag
    assert type(owner.tag) is type(tag)  # not coerced to the first member
    assert conv.unstructure(owner)["tag"] == tag


@MODES
def test_primitive_union_rejects_other_types(strict: bool) -> None:
    with pytest.raises(cattrs.ClassValidationError) as info:
        make_converter(strict=strict).structure({**OWNER_WIRE, "tag": 1.5}, Owner)
    assert _errors(info.value)[0].endswith("@ $.tag")


# --- extra keys -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "path"),
    [
        ({**OWNER_WIRE, "surprise": 1}, "$"),
        ({**OWNER_WIRE, "pet": {"type": "cat", "lives": 1, "surprise": 1}}, "$.pet"),
    ],
    ids=["top", "nested"],
)
def test_extra_keys_strict_rejects_lenient_ignores(data: dict[str, Any], path: str) -> None:
    with pytest.raises(cattrs.ClassValidationError) as info:
        make_converter(strict=True).structure(data, Owner)
    (message,) = _errors(info.value)
    assert "surprise" in message
    assert message.endswith(f"@ {path}")

    owner = make_converter(strict=False).structure(data, Owner)
    assert "surprise" not in str(make_converter().unstructure(owner))


# --- converters and hooks ---------------------------------------------------------------


def test_make_converter_returns_independent_converters() -> None:
    first, second = make_converter(strict=True), make_converter(strict=True)
    assert first is not second
    first.register_structure_hook(Cat, lambda data, _: Cat(lives=-1))
    assert first.structure({"type": "cat", "lives": 9}, Cat) == Cat(lives=-1)
    assert second.structure({"type": "cat", "lives": 9}, Cat) == Cat(lives=9)
    assert make_converter(strict=False).structure({"type": "cat", "lives": 2, "x": 0}, Cat)
    with pytest.raises(cattrs.ClassValidationError):
        second.structure({"type": "cat", "lives": 2, "x": 0}, Cat)
    # The module's own converters are untouched by either.
    assert converter_module.structure({"type": "cat", "lives": 9}, Cat) == Cat(lives=9)


def test_configure_converter_works_on_a_plain_cattrs_converter() -> None:
    conv = cattrs.Converter()
    configure_converter(conv, strict=False)
    owner = conv.structure(OWNER_WIRE, Owner)
    assert owner.pet == Dog(good_boy=True)
    assert conv.unstructure(owner) == {**OWNER_WIRE, "tag": 0, "score": 5}


def test_hooks_are_generated_once_per_class(monkeypatch: pytest.MonkeyPatch) -> None:
    made: list[Any] = []
    real_structure, real_unstructure = make_dict_structure_fn, make_dict_unstructure_fn

    def structure_fn(cls: Any, *args: Any, **kwargs: Any) -> Any:
        made.append(("structure", cls))
        return real_structure(cls, *args, **kwargs)

    def unstructure_fn(cls: Any, *args: Any, **kwargs: Any) -> Any:
        made.append(("unstructure", cls))
        return real_unstructure(cls, *args, **kwargs)

    monkeypatch.setattr(converter_module, "make_dict_structure_fn", structure_fn)
    monkeypatch.setattr(converter_module, "make_dict_unstructure_fn", unstructure_fn)
    conv = make_converter()
    hook = conv.get_structure_hook(Owner)
    for lives in range(50):
        owner = conv.structure({**OWNER_WIRE, "pet": {"type": "cat", "lives": lives}}, Owner)
        conv.unstructure(owner)
    assert conv.get_structure_hook(Owner) is hook
    assert made.count(("structure", Owner)) == 1
    assert made.count(("structure", Cat)) == 1
    assert made.count(("unstructure", Owner)) == 1


def test_event_hook_is_reused_by_structure_event() -> None:
    from agentstream.types import m8tes

    cls = m8tes.EVENT_TYPES["text-delta"]
    converters = (converter_module._LENIENT, converter_module._STRICT)
    hooks = [conv.get_structure_hook(cls) for conv in converters]
    for n in range(20):
        for strict in (False, True):
            event = {"type": "text-delta", "delta": str(n)}
            assert converter_module.structure_event("m8tes", event, strict=strict).delta == str(n)
    for conv, hook in zip(converters, hooks, strict=True):
        assert conv.get_structure_hook(cls) is hook


def test_request_with_query_sets_replaces_repeats_and_removes():
    """Request.with_query: the URL building block of cursor-in-the-query policies."""
    from agentstream import Request

    request = Request(url="http://h/x?a=1&since_id=5&t=a")
    changed = request.with_query(since_id="event_9", types=["x", "y"], a=None)
    assert changed.url == "http://h/x?t=a&since_id=event_9&types=x&types=y"
    assert Request(url="http://h/x").with_query(after=None).url == "http://h/x"
    assert request.url == "http://h/x?a=1&since_id=5&t=a"  # frozen: a copy

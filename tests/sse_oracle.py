"""A slow, literal reference implementation of the WHATWG event stream interpretation.

https://html.spec.whatwg.org/multipage/server-sent-events.html#event-stream-interpretation

It decodes the whole stream at once and then walks it character by character, so it is
obviously free of chunking bugs.  The tests compare ``agentstream._sse.SSEDecoder`` with it.

Items are plain tuples, so this module does not depend on the code under test:

* ``("event", type, data, last_event_id, retry)`` -- ``retry`` is the value of a valid
  ``retry`` field inside the event's own block, else ``None``;
* ``("comment", text)`` -- the line after the ``:``, with one leading space removed.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass, field

BOM = "\ufeff"


@dataclass
class OracleResult:
    items: list[tuple[object, ...]] = field(default_factory=list)
    last_event_id: str = ""
    retry: int | None = None

    @property
    def events(self) -> list[tuple[object, ...]]:
        return [item for item in self.items if item[0] == "event"]

    @property
    def comments(self) -> list[str]:
        return [str(item[1]) for item in self.items if item[0] == "comment"]


def split_lines(text: str) -> list[str]:
    """Complete lines only.  ``end-of-line = ( cr lf / cr / lf )``.

    A trailing line without a line ending is pending data that is discarded at the end of
    the stream.  U+2028, U+2029 and U+0085 are not line endings.
    """
    lines: list[str] = []
    current: list[str] = []
    i = 0
    while i < len(text):
        char = text[i]
        if char == "\r":
            lines.append("".join(current))
            current = []
            if i + 1 < len(text) and text[i + 1] == "\n":
                i += 1  # CRLF is one line ending
        elif char == "\n":
            lines.append("".join(current))
            current = []
        else:
            current.append(char)
        i += 1
    return lines


def is_ascii_digits(value: str) -> bool:
    return value != "" and all(char in "0123456789" for char in value)


def oracle(stream: bytes) -> OracleResult:
    result = OracleResult()
    # "Streams must be decoded using the UTF-8 decode algorithm."  (errors -> U+FFFD)
    text = codecs.getincrementaldecoder("utf-8")(errors="replace").decode(stream, final=True)
    # "One leading U+FEFF BYTE ORDER MARK character must be ignored if any are present."
    if text.startswith(BOM):
        text = text[1:]

    data_buffer = ""
    event_type_buffer = ""
    last_event_id_buffer = ""
    block_retry: int | None = None

    def process_field(name: str, value: str) -> None:
        nonlocal data_buffer, event_type_buffer, last_event_id_buffer, block_retry
        if name == "event":
            # "Set the event type buffer to field value."
            event_type_buffer = value
        elif name == "data":
            # "Append the field value to the data buffer, then append a single U+000A LINE
            # FEED (LF) character to the data buffer."
            data_buffer += value + "\n"
        elif name == "id":
            # "If the field value does not contain U+0000 NULL, then set the last event ID
            # buffer to the field value. Otherwise, ignore the field."
            if "\x00" not in value:
                last_event_id_buffer = value
        elif name == "retry" and is_ascii_digits(value):
            # "If the field value consists of only ASCII digits, then interpret the field
            # value as an integer in base ten, and set the event stream's reconnection time
            # to that integer. Otherwise, ignore the field."
            result.retry = block_retry = int(value)
        # "Otherwise: The field is ignored."

    def dispatch() -> None:
        nonlocal data_buffer, event_type_buffer, block_retry
        retry, block_retry = block_retry, None
        # "1. Set the last event ID string of the event source to the value of the last
        # event ID buffer."  (The buffer is not reset.)
        result.last_event_id = last_event_id_buffer
        # "2. If the data buffer is an empty string, set the data buffer and the event type
        # buffer to the empty string and return."
        if data_buffer == "":
            event_type_buffer = ""
            return
        # "3. If the data buffer's last character is a U+000A LINE FEED (LF) character, then
        # remove the last character from the data buffer."
        data = data_buffer[:-1] if data_buffer.endswith("\n") else data_buffer
        # "5./6. Initialize event's type attribute to "message" ... If the event type buffer
        # has a value other than the empty string, change the type ... to equal [it]."
        event_type = event_type_buffer or "message"
        result.items.append(("event", event_type, data, result.last_event_id, retry))
        # "7. Set the data buffer and the event type buffer to the empty string."
        data_buffer = event_type_buffer = ""

    for line in split_lines(text):
        if line == "":
            # "If the line is empty (a blank line): Dispatch the event."
            dispatch()
        elif line.startswith(":"):
            # "If the line starts with a U+003A COLON character (:): Ignore the line."
            # (Reported as a comment when asked to.)
            comment = line[1:]
            result.items.append(("comment", comment[1:] if comment.startswith(" ") else comment))
        elif ":" in line:
            # "Collect the characters on the line before the first U+003A COLON character
            # (:), and let field be that string. Collect the characters on the line after
            # [it], and let value be that string. If value starts with a U+0020 SPACE
            # character, remove it from value."
            name, _, value = line.partition(":")
            process_field(name, value[1:] if value.startswith(" ") else value)
        else:
            # "Otherwise, the string is not empty but does not contain a U+003A COLON
            # character (:): Process the field using ... the whole line as the field name,
            # and the empty string as the field value."
            process_field(line, "")
    # "Once the end of the file is reached, any pending data must be discarded."
    return result

"""Platform clients: one package per platform, each on the shared stream layer.

What a platform consists of (m8tes is the worked example; Everruns, Managed Agents and
shipit follow it):

- ``schema/<platform>/`` and the generated ``agentstream/types/<platform>.py``: one attrs
  class per event type and resource, ``EVENT_TYPES``, ``AnyEvent``. Never edited by hand.
- ``_policy.py``: the pure ``ResumePolicy`` (see ``agentstream._policy``): the request of
  each connection and its cursor, what a frame is (deliver, skip a duplicate, control,
  terminal, reconnect), whether a clean end completes the stream, any backfill.
- ``_normalize.py``: a typed event -> the common view (``agentstream.types.common``:
  text and reasoning deltas, tool calls and results, actions required, usage, errors).
- ``_adapter.py``: the ``StreamAdapter`` a stream uses: decode (through
  ``agentstream.types.structure_event``), normalize, and the terminal events.
- ``_common.py``: what both twins share that does no IO (configuration from the
  environment, request bodies, the platform's rules for its resources).
- ``_async_client.py``: the client, its resources and its stream class (an
  ``AsyncEventStream`` subclass typed by the platform's event union), written once,
  async. ``_sync_client.py`` is generated from it (``codegen/unasync.py``, ``make
  codegen``); only the HTTP drivers and the JSON clients are written twice.
- ``__init__.py``: the public names, each imported on first use, so that using one
  platform (or one of sync and async) never loads the others.
- ``agentstream/testing/<platform>.py``: the emulator, registered in ``testing/_serve.py``
  (``agentstream serve <platform>``) with a pytest fixture in the plugin; the official
  SDK drives it in ``tests/compat/``; the platform joins the fault matrix and the bench.
- A README section whose examples run in the test suite.
"""

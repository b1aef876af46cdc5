"""The wire contract: the JSON Schemas in this folder, and the code that loads and applies them.

It is the lowest layer of the project. The reference implementation's adapters (``wire``,
``server``) and the kit's targets both check payloads against these schemas and read and write
JSON through :mod:`schemas.jsonio` (money exact, never float), so the code lives here, beside the
schemas, where both can import it without depending on each other.
"""

from __future__ import annotations

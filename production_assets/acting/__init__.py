"""Acting as data: built-in bodies, the action registry, blocking, eyelines, screenplay verbs (no bpy).

Conventions shared with the renderer: metres, Z up; a character with
``facing_deg`` 0 faces -Y (toward a camera at yaw 0) and ``facing_deg`` turns it
counter-clockwise seen from above (90 faces +X). A character's left (``.L``
bones) is at +X when it faces -Y.

- :mod:`.bodies`: the built-in models (``BUILTIN_MODELS``), their proportions and skeleton.
- :mod:`.registry`: every action, whether it loops, whether it needs ``to``.
- :mod:`.blocking`: marks and facing angles for a shot's characters.
- :mod:`.eyelines`: where each character's head and eyes aim.
- :mod:`.staging`: YAML acting requests of a shot -> placement fields (the lead's entry point).
- :mod:`.verbs`: screenplay action lines -> (character, action).
"""

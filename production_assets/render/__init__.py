"""The bpy render worker: the only package that imports ``bpy``.

Entry points (each runs under Dagster Pipes without arguments, or standalone):

- ``python -m production_assets.render.prepare --job prepare.json``: build a
  character (model + every wardrobe look) or a location (set, lights, world)
  once and publish it atomically as a .blend (:mod:`.prepare_contract`).
- ``python -m production_assets.render.worker --job job.json [--location-blend PATH]``:
  build a shot (from prepared files when given) and render its missing frames;
  ``render.log`` beside the frames keeps the log after a crash (:mod:`.shot_log`).

Importing this package does not import bpy, nor do :mod:`.framing` (camera
maths), :mod:`.prepare_contract`, :mod:`.shot_log` and the motion maths of the
acting (:mod:`.actions`, :mod:`.gait`, :mod:`.kinematics`, :mod:`.timeline`,
:mod:`.performance`, :mod:`.pose_layers`, :mod:`.rotations`, :mod:`.retarget`),
so orchestration and tests can use them without Blender.

Colour convention for preset data:

- Surface colours (floor, walls, props, wardrobe looks) are display values, as
  read off a colour picker's sRGB hex field; they are converted to
  scene-linear for Principled BSDF Base Color (:mod:`.materials`).
- Light colours, world colours and the style's world tint are scene-linear
  emission tints and are used as given (:mod:`.lights`, :mod:`.locations`).
"""

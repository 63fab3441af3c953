"""Make placed characters act: evaluate their clips, key their rigs and roots, aim their eyes.

How a character acts depends on what it is:

- a built-in body: the procedural library (:mod:`.performance`) on its own rig;
- a model file with an armature: a clip plays the file's own action when one
  is named like it (a .blend action or glTF/FBX animation: the same name,
  ignoring case, a ``.001`` suffix and anything up to a ``|``), stretched or
  repeated over the clip; other library clips are retargeted when the bones
  follow a known convention (:mod:`.retarget`);
- anything else holds its pose, with a one-line warning on stderr (the shot's
  render.log), naming the clips it cannot play.

Walks and turns move the root of every character, rigged or not, so blocking
holds. ``look_at`` aims the neck and eyes (Damped Track + Limit Rotation) at
the shot camera or at an empty on the point.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field

import bpy
import numpy as np

from production_assets.acting.bodies import BODIES, BONE_NAMES, MANNEQUIN, Skeleton, body_of, scaled_skeleton, skeleton
from production_assets.acting.registry import action_spec, is_known_action
from production_assets.model.acting import ActionClip, LookTarget
from production_assets.render import rotations
from production_assets.render.characters import PlacedCharacter
from production_assets.render.face import BLINK_SQUASH, BROW_RISE_SHARE_OF_HEAD, MOUTH_OPEN_SCALE, MOUTH_WIDEN
from production_assets.render.kinematics import world_rotations
from production_assets.render.performance import perform
from production_assets.render.retarget import ForeignBone, foreign_pose, map_bones, performance_skeleton
from production_assets.render.rig import (
    BUILTIN_RIG,
    EYE_LIMITS_DEG,
    NECK_LIMITS_DEG,
    RIG_PROPERTY,
    aim_bone,
    key_bone_offset,
    key_bone_rotations,
    key_bone_scale,
    key_channels,
    new_channelbag,
)
from production_assets.render.timeline import PoseTrack

Array = np.ndarray
_COPY_SUFFIX = re.compile(r"\.\d{3}$")


@dataclass
class Acting:
    """One character's performance in the shot, and how it reaches the character's bones."""

    character: PlacedCharacter
    track: PoseTrack
    skeleton: Skeleton
    mapping: dict[str, str] = field(default_factory=dict)
    foreign: dict[str, ForeignBone] = field(default_factory=dict)
    file_clips: list[tuple[ActionClip, bpy.types.Action]] = field(default_factory=list)

    @property
    def builtin(self) -> bool:
        rig = self.character.armature
        return rig is not None and rig.get(RIG_PROPERTY) == BUILTIN_RIG


def rehearse(character: PlacedCharacter, frame_count: int, fps: float) -> Acting:
    """Work out what the character plays and evaluate it (no keys yet: the camera may still need the path)."""
    placement = character.placement
    clips = placement.actions
    file_clips = [(clip, action) for clip in clips if (action := file_action(clip.name, character.file_actions))]
    bones, mapping, foreign = _bones_to_drive(character)
    _warn_unplayable(character, clips, {id(clip) for clip, _ in file_clips}, bool(mapping))
    library = [clip for clip in clips if is_known_action(clip.name)]
    track = perform(
        library, frame_count, fps, bones, character.scale, placement.position, placement.facing_deg, placement.name
    )
    return Acting(character, track, bones, mapping, foreign, file_clips)


def _bones_to_drive(character: PlacedCharacter) -> tuple[Skeleton, dict[str, str], dict[str, ForeignBone]]:
    """The skeleton the library poses, our bone names -> the rig's, and the file rig's bones (when retargeted).

    A character that cannot be posed still gets a skeleton of its size, so its root walks at its pace.
    """
    body, rig = body_of(character.placement.model), character.armature
    if body is not None and rig is not None and rig.get(RIG_PROPERTY) == BUILTIN_RIG:
        return skeleton(body), {name: name for name in BONE_NAMES}, {}
    reference = skeleton(BODIES[MANNEQUIN])
    mapping = map_bones(bone.name for bone in rig.data.bones) if rig is not None else None
    if rig is None or mapping is None:
        return scaled_skeleton(reference, character.natural_height / BODIES[MANNEQUIN].height), {}, {}
    foreign = _foreign_bones(character, rig)
    return performance_skeleton(reference, foreign, mapping), mapping, foreign


def file_action(clip_name: str, actions: list[bpy.types.Action]) -> bpy.types.Action | None:
    """The model file's action named like a clip (case, ``.001`` copies and ``Armature|`` prefixes ignored)."""
    wanted = clip_name.lower()
    for action in actions:
        plain = _COPY_SUFFIX.sub("", action.name).split("|")[-1].lower()
        if plain == wanted:
            return action
    return None


def _warn_unplayable(character: PlacedCharacter, clips: list[ActionClip], played: set[int], posable: bool) -> None:
    """One line on stderr when a clip cannot be played as asked."""
    name = character.placement.name
    if posable:
        unknown = [clip.name for clip in clips if id(clip) not in played and not is_known_action(clip.name)]
        if unknown:
            print(f"warning: character {name!r}: unknown action {_names(unknown)}, idles instead", file=sys.stderr)
        return
    missing = [clip.name for clip in clips if id(clip) not in played] if clips else ["idle"]
    why = "its bones follow no known convention (Rigify, Mixamo)" if character.armature else "it has no armature"
    if missing:
        print(f"warning: character {name!r} holds its pose: cannot play {_names(missing)}: {why}", file=sys.stderr)


def _names(names: list[str]) -> str:
    return ", ".join(map(repr, names))


def _foreign_bones(character: PlacedCharacter, rig: bpy.types.Object) -> dict[str, ForeignBone]:
    """The file armature's bones at rest in character space (the root's frame, before its scale)."""
    bpy.context.view_layer.update()
    to_character = character.root.matrix_world.inverted() @ rig.matrix_world
    bones = {}
    for bone in rig.data.bones:
        orientation = (to_character @ bone.matrix_local).to_3x3().normalized()
        bones[bone.name] = ForeignBone(
            head=np.array(to_character @ bone.head_local),
            tail=np.array(to_character @ bone.tail_local),
            rest=rotations.from_matrix(np.array(orientation)),
            parent=bone.parent.name if bone.parent else None,
        )
    return bones


def perform_on_stage(acting: Acting, camera: bpy.types.Object) -> None:
    """Key the root, the rig (procedural and file actions) and aim the eyes."""
    character, track = acting.character, acting.track
    _key_root(character.root, track)
    rig = character.armature
    if rig is None:
        return
    if not acting.builtin and rig.animation_data is not None:
        rig.animation_data.action = None
    if acting.mapping:
        channelbag = new_channelbag(rig, f"{character.placement.name}.acting")
        if acting.builtin:
            _key_builtin(channelbag, rig, track, character.placement.model)
        else:
            _key_foreign(channelbag, rig, acting)
    if acting.file_clips:
        _play_file_clips(rig, acting.file_clips)
    look_at = character.placement.look_at
    if look_at is not None and acting.mapping:
        neck = acting.mapping.get("neck") or acting.mapping["head"]
        aim_bone(rig, neck, _look_target(character, look_at, camera, _eyes_above(acting, neck)), NECK_LIMITS_DEG)
        eyes_target = _look_target(character, look_at, camera, 0.0)
        for side in ("L", "R"):
            if f"eye.{side}" in acting.mapping:
                aim_bone(rig, acting.mapping[f"eye.{side}"], eyes_target, EYE_LIMITS_DEG)


def _eyes_above(acting: Acting, neck: str) -> float:
    """How far the eyes sit above the base of the neck (world metres, at rest).

    A file rig's eyes are taken at 45 % up its head bone.
    """
    if acting.foreign:
        head = acting.foreign[acting.mapping["head"]]
        eye_z, neck_z = head.head[2] + 0.45 * (head.tail[2] - head.head[2]), acting.foreign[neck].head[2]
    else:
        eye_z, neck_z = acting.skeleton["eye.L"].head[2], acting.skeleton[neck].head[2]
    return float(eye_z - neck_z) * acting.character.scale


def _key_root(root: bpy.types.Object, track: PoseTrack) -> None:
    moves = np.ptp(track.root_location, axis=0).max() > 1e-6 or np.ptp(track.root_yaw) > 1e-6
    if not moves:
        return
    channelbag = new_channelbag(root, f"{root.name}.path")
    key_channels(channelbag, "location", track.root_location)
    turns = np.column_stack((np.zeros_like(track.root_yaw), np.zeros_like(track.root_yaw), track.root_yaw))
    key_channels(channelbag, "rotation_euler", turns)


def _key_builtin(channelbag: bpy.types.ActionChannelbag, rig: bpy.types.Object, track: PoseTrack, model: str) -> None:
    body = BODIES[model]
    key_bone_rotations(channelbag, rig, track.rotations)
    key_bone_offset(channelbag, rig, "hips", track.hips_offset)
    squash = 1.0 - BLINK_SQUASH * track.blink
    for side in ("L", "R"):
        key_bone_scale(channelbag, f"eye.{side}", np.column_stack((np.ones_like(squash), np.ones_like(squash), squash)))
        rise = np.outer(track.brows, [0.0, 0.0, BROW_RISE_SHARE_OF_HEAD * body.head_half[2]])
        key_bone_offset(channelbag, rig, f"brow.{side}", rise)
    mouth = np.column_stack(
        (1.0 + MOUTH_WIDEN * track.mouth, np.ones_like(track.mouth), 1.0 + MOUTH_OPEN_SCALE * track.mouth)
    )
    key_bone_scale(channelbag, "mouth", mouth)


def _key_foreign(channelbag: bpy.types.ActionChannelbag, rig: bpy.types.Object, acting: Acting) -> None:
    """Key the file armature's mapped bones (their own constraints are switched off, e.g. Rigify's DEF bones)."""
    track = acting.track
    world = world_rotations(acting.skeleton, track.rotations, track.frame_count)
    for name, basis in foreign_pose(acting.foreign, acting.mapping, acting.skeleton, world).items():
        pose_bone = rig.pose.bones[name]
        pose_bone.rotation_mode = "QUATERNION"
        for constraint in pose_bone.constraints:
            constraint.enabled = False
        key_channels(channelbag, f'pose.bones["{name}"].rotation_quaternion', basis)
    hips = acting.mapping["hips"]
    to_armature = np.array((acting.character.root.matrix_world.inverted() @ rig.matrix_world).inverted().to_3x3())
    offset = track.hips_offset @ to_armature.T
    rest = np.array(rig.data.bones[hips].matrix_local.to_3x3())
    key_channels(channelbag, f'pose.bones["{hips}"].location', offset @ rest)


def _play_file_clips(rig: bpy.types.Object, file_clips: list[tuple[ActionClip, bpy.types.Action]]) -> None:
    """File actions as NLA strips over their clips, above the procedural action (which moves to a strip too)."""
    animation = rig.animation_data_create()
    procedural = animation.action
    animation.action = None
    if procedural is not None:
        _strip(animation.nla_tracks.new(), procedural.name, 1, procedural)
    clips_track = animation.nla_tracks.new()
    for clip, action in file_clips:
        strip = _strip(clips_track, f"{clip.name}.{clip.start_frame}", clip.start_frame, action)
        start, end = action.frame_range
        length = max(end - start, 1.0)
        span = max(clip.end_frame - clip.start_frame, 1)
        if is_known_action(clip.name) and action_spec(clip.name).loops:
            strip.repeat = span / length
        else:
            strip.scale = span / length
        strip.extrapolation = "NOTHING"
        strip.blend_type = "REPLACE"


def _strip(track: bpy.types.NlaTrack, name: str, start: int, action: bpy.types.Action) -> bpy.types.NlaStrip:
    strip = track.strips.new(name, start, action)
    if strip.action_slot is None and action.slots:
        strip.action_slot = action.slots[0]
    return strip


def _look_target(
    character: PlacedCharacter, look_at: LookTarget, camera: bpy.types.Object, lowered: float
) -> bpy.types.Object:
    """An empty on the look-at point (or following the camera), ``lowered`` metres below it.

    The neck aims at a point lowered by the height of the eyes above it, so the
    line from the eyes, not from the neck, meets the target.
    """
    target = bpy.data.objects.new(f"{character.placement.name}.look_at", None)
    character.root.users_collection[0].objects.link(target)
    if look_at == "camera":
        target.location = (0.0, 0.0, -lowered)
        follow = target.constraints.new("COPY_LOCATION")
        follow.target = camera
        follow.use_offset = True
    else:
        target.location = (look_at[0], look_at[1], look_at[2] - lowered)
    return target

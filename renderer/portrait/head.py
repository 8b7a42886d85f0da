"""The geometry every part of the portrait is placed by: where the head, eyes, nose and mouth are.

All in the 100 x 100 units of the portrait's view box, derived from the face genes only, so the
other parts (hair, glasses, beards) follow the face wherever the genes put it.
"""

from __future__ import annotations

from dataclasses import dataclass

from renderer.portrait.genes import Looks


@dataclass(frozen=True, slots=True)
class Head:
    """Positions and sizes of the head and its features (view-box units, y down)."""

    cx: float  # centre of the skull
    cy: float  # height of the widest point (cheek line)
    rx: float  # half width
    ry_top: float  # skull height above cy
    ry_chin: float  # chin depth below cy
    jaw: float  # 0 pointed .. 1 square
    tilt: float  # degrees, about the chin
    scale: float
    eye_dx: float  # each eye's distance from cx
    eye_y: float
    eye_r: float
    eye_tilt: float  # degrees, outer corners up
    nose_y: float
    mouth_y: float
    mouth_w: float  # half width of the mouth (moustaches and smile lines frame it)
    ear_y: float
    ear_r: float

    @property
    def top(self) -> float:
        """y of the top of the skull."""
        return self.cy - self.ry_top

    @property
    def chin(self) -> float:
        """y of the chin."""
        return self.cy + self.ry_chin

    @classmethod
    def of(cls, looks: Looks) -> Head:
        """The head a genome's looks describe."""
        s = looks.span("head_size", 1.0, 1.2)
        cy = looks.span("head_height", 50.0, 43.0)
        rx = s * looks.span("face_width", 16.5, 22.0)
        ry_top = s * looks.span("skull_height", 17.0, 22.5)
        ry_chin = s * looks.span("face_length", 18.0, 25.0)
        eye_y = cy + s * looks.span("eye_height", 3.5, -3.0)
        nose_y = eye_y + s * looks.span("nose_length", 5.5, 9.5)
        mouth_y = cy + ry_chin * looks.span("mouth_height", 0.66, 0.44)
        return cls(
            cx=50 + looks.span("head_shift", -5.0, 5.0),
            cy=cy,
            rx=rx,
            ry_top=ry_top,
            ry_chin=ry_chin,
            jaw=looks.jaw,
            tilt=looks.span("head_tilt", -10.0, 10.0),
            scale=s,
            eye_dx=s * looks.span("eye_spacing", 6.5, 10.5),
            eye_y=eye_y,
            eye_r=s * looks.span("eye_size", 2.6, 4.3),
            eye_tilt=looks.span("eye_tilt", -14.0, 14.0),
            nose_y=max(nose_y, eye_y + 4.0),
            mouth_y=max(mouth_y, nose_y + 4.5),
            mouth_w=s * looks.span("mouth_width", 4.2, 7.5),
            ear_y=cy + s * looks.span("ear_height", 4.0, -4.0),
            ear_r=s * looks.span("ear_size", 3.0, 6.0),
        )

    def face_outline(self) -> str:
        """Path data of the face: an elliptic skull above the cheek line, a jaw curving to the chin."""
        cx, cy, rx = self.cx, self.cy, self.rx
        k = 0.45 + 0.45 * self.jaw  # how far down the cheek stays full
        jw = rx * (0.2 + 0.55 * self.jaw)  # half width of the chin
        chin = self.chin
        return (
            f"M{cx - rx:.2f},{cy:.2f} A{rx:.2f},{self.ry_top:.2f} 0 0 1 {cx + rx:.2f},{cy:.2f} "
            f"C{cx + rx:.2f},{cy + self.ry_chin * k:.2f} {cx + jw:.2f},{chin:.2f} {cx:.2f},{chin:.2f} "
            f"C{cx - jw:.2f},{chin:.2f} {cx - rx:.2f},{cy + self.ry_chin * k:.2f} {cx - rx:.2f},{cy:.2f} Z"
        )

    def half_width_at(self, y: float) -> float:
        """Approximate half width of the face at height y (for cheeks, beards and freckles)."""
        if y <= self.cy:
            u = min(1.0, (self.cy - y) / self.ry_top)
            return self.rx * (1 - u * u) ** 0.5
        u = min(1.0, (y - self.cy) / self.ry_chin)
        chin_half = self.rx * (0.2 + 0.55 * self.jaw)
        return self.rx + (chin_half - self.rx) * u ** (1.6 - 0.6 * self.jaw)

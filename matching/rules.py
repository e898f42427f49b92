"""The seven hard rules of the matching contract, vectorised over catalog columns and scalar."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from matching.types import WEEKDAYS, PersonProfile, Resource, RuleBreak

EARTH_RADIUS_KM = 6371.0088
_KM_PER_DEGREE = math.pi * EARTH_RADIUS_KM / 180
DAY_BIT = {d: 1 << i for i, d in enumerate(WEEKDAYS)}
DAY_JA = dict(zip(WEEKDAYS, "月火水木金土日", strict=True))

RULES = ("available", "age", "certificate", "days", "wheelchair", "distance", "excluded")


def day_mask(days: Sequence[str]) -> int:
    """Bit mask of weekday codes (0 when no day is listed)."""
    mask = 0
    for d in days:
        mask |= DAY_BIT.get(d.strip().lower()[:3], 0)
    return mask


def haversine_km(lat1: float, lon1: float, lat2: np.ndarray, lon2: np.ndarray) -> np.ndarray:
    """Great-circle distance in km from one point to arrays of points."""
    p1 = math.radians(lat1)
    p2 = np.radians(lat2)
    dphi = p2 - p1
    dlmb = np.radians(lon2) - math.radians(lon1)
    a = np.sin(dphi / 2) ** 2 + math.cos(p1) * np.cos(p2) * np.sin(dlmb / 2) ** 2
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))


def _haversine_rad(
    lat1: float, lon1: float, plat: np.ndarray, plon: np.ndarray, pcos: np.ndarray
) -> np.ndarray:
    """:func:`haversine_km` to points given in radians with their latitudes' cosines.

    The same operations in the same order, so the same distances to the last bit; in place
    where :func:`haversine_km` makes temporaries (a query measures tens of thousands).
    """
    p1 = math.radians(lat1)
    dphi = plat - p1
    dphi /= 2
    a = np.sin(dphi)
    a **= 2
    dlmb = plon - math.radians(lon1)
    dlmb /= 2
    b = np.sin(dlmb)
    b **= 2
    c = math.cos(p1) * pcos
    c *= b
    a += c
    np.clip(a, 0.0, 1.0, out=a)
    np.sqrt(a, out=a)
    np.arcsin(a, out=a)
    return 2 * EARTH_RADIUS_KM * a


def _haversine32(
    lat1: float, lon1: float, plat: np.ndarray, plon: np.ndarray, pcos: np.ndarray
) -> np.ndarray:
    """Haversine in float32 (about a metre of error) to points in radians, for the distance
    preference."""
    p1, l1 = math.radians(lat1), math.radians(lon1)
    a = np.sin((plat - p1) / 2) ** 2 + math.cos(p1) * pcos * np.sin((plon - l1) / 2) ** 2
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))


def distance_km(profile: PersonProfile, resource: Resource) -> float | None:
    """Distance home -> resource, None when either location is unknown."""
    if None in (profile.home_lat, profile.home_lon, resource.lat, resource.lon):
        return None
    d = haversine_km(
        float(profile.home_lat),  # type: ignore[arg-type]
        float(profile.home_lon),  # type: ignore[arg-type]
        np.array([resource.lat], dtype=np.float64),
        np.array([resource.lon], dtype=np.float64),
    )
    return float(d[0])


RULE_LABELS_JA = {
    "available": "空き・募集状況",
    "age": "年齢条件",
    "certificate": "受給者証・手帳",
    "days": "活動日",
    "wheelchair": "車椅子対応",
    "distance": "距離",
    "excluded": "除外指定",
}


def _age_range(min_age: int | None, max_age: int | None) -> str:
    if min_age is not None and max_age is not None:
        return f"{min_age}〜{max_age}歳"
    if min_age is not None:
        return f"{min_age}歳以上"
    return f"{max_age}歳以下"


def _days_ja(mask: int) -> str:
    return "・".join(DAY_JA[d] for d in WEEKDAYS if mask & DAY_BIT[d])


def check_rules(profile: PersonProfile, resource: Resource) -> list[RuleBreak]:
    """Every hard rule ``resource`` breaks for ``profile``, one item per broken rule.

    The messages are what a coordinator reads in the "why not" panel: the rule in plain
    Japanese with the figures that decide it (「年齢条件（15〜39歳）に合いません」).
    """
    breaks: list[RuleBreak] = []
    if resource.status != "active":
        breaks.append(RuleBreak("available", "現在は募集を停止しています"))
    elif resource.capacity_remaining <= 0:
        breaks.append(RuleBreak("available", "空きがありません"))
    if profile.age is not None and (
        (resource.min_age is not None and profile.age < resource.min_age)
        or (resource.max_age is not None and profile.age > resource.max_age)
    ):
        span = _age_range(resource.min_age, resource.max_age)
        breaks.append(RuleBreak("age", f"年齢条件（{span}）に合いません（本人{profile.age}歳）"))
    if resource.requires_certificate and not profile.has_certificate:
        breaks.append(RuleBreak("certificate", "受給者証が必要です（障害者手帳でも可）"))
    pm, rm = day_mask(profile.days), day_mask(resource.days)
    if pm and rm and not (pm & rm):
        breaks.append(
            RuleBreak(
                "days",
                f"活動日（{_days_ja(rm)}）が希望の曜日（{_days_ja(pm)}）と合いません",
            )
        )
    if profile.needs_wheelchair_access and not resource.wheelchair_accessible:
        breaks.append(RuleBreak("wheelchair", "車椅子では利用できません"))
    if profile.max_travel_km is not None and profile.home_lat is not None:
        d = distance_km(profile, resource)
        limit = f"{profile.max_travel_km:g}km"
        if d is None:
            breaks.append(
                RuleBreak("distance", f"所在地が不明で距離を確かめられません（上限{limit}）")
            )
        elif d > profile.max_travel_km:
            breaks.append(RuleBreak("distance", f"自宅から約{d:.1f}km（上限{limit}）"))
    if resource.resource_id in set(profile.excluded_resource_ids):
        breaks.append(RuleBreak("excluded", "本人または支援員の判断で候補から外しています"))
    return breaks


@dataclass
class RuleColumns:
    """Catalog columns the hard rules read, as numpy arrays (one entry per resource)."""

    available: np.ndarray
    min_age: np.ndarray
    max_age: np.ndarray
    requires_certificate: np.ndarray
    days: np.ndarray
    wheelchair: np.ndarray
    lat: np.ndarray
    lon: np.ndarray
    index: dict[str, int]

    @classmethod
    def from_resources(cls, resources: Sequence[Resource]) -> RuleColumns:
        """Column arrays from resources."""
        nan = float("nan")
        cols = cls(
            available=np.array(
                [r.status == "active" and r.capacity_remaining > 0 for r in resources], dtype=bool
            ),
            min_age=np.array([nan if r.min_age is None else r.min_age for r in resources]),
            max_age=np.array([nan if r.max_age is None else r.max_age for r in resources]),
            requires_certificate=np.array([r.requires_certificate for r in resources], dtype=bool),
            days=np.array([day_mask(r.days) for r in resources], dtype=np.int16),
            wheelchair=np.array([r.wheelchair_accessible for r in resources], dtype=bool),
            lat=np.array([nan if r.lat is None else r.lat for r in resources], dtype=np.float64),
            lon=np.array([nan if r.lon is None else r.lon for r in resources], dtype=np.float64),
            index={r.resource_id: i for i, r in enumerate(resources)},
        )
        cols._radians()
        cols._places()
        return cols

    def distances(self, profile: PersonProfile) -> np.ndarray | None:
        """Distance in km from the person's home to every resource (nan where unknown)."""
        if profile.home_lat is None or profile.home_lon is None:
            return None
        places = self._places()
        if places is not None:
            return self._place_distances(profile)[places[0]]
        plat, plon, pcos = self._radians()
        return _haversine_rad(profile.home_lat, profile.home_lon, plat, plon, pcos)

    def _radians(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Latitudes and longitudes in radians and the cosines of the latitudes, once per
        catalog: a query then gathers them for its rows instead of converting them again."""
        if not hasattr(self, "_rad"):
            lat = np.radians(self.lat)
            self._rad = (lat, np.radians(self.lon), np.cos(lat))
        return self._rad

    def _places(self) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
        """Resources grouped by their coordinates, when few places hold many of them.

        Addresses are geocoded to the town (a synthetic 100,000-resource catalog of Chiba City
        has 500 places), so the distance rule measures each place once and gathers, instead
        of measuring tens of thousands of rows. None when most coordinates are distinct.
        Returns (place of each resource, latitude and longitude of each place).
        """
        if not hasattr(self, "_place"):
            self._place: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None
            n = len(self.lat)
            if n:
                _, ilat = np.unique(self.lat, return_inverse=True)
                _, ilon = np.unique(self.lon, return_inverse=True)
                pair = ilat.astype(np.int64) * (int(ilon.max()) + 1) + ilon
                _, first, place_of = np.unique(pair, return_index=True, return_inverse=True)
                if len(first) <= n // 4:
                    self._place = (place_of.ravel(), self.lat[first], self.lon[first])
        return self._place

    def _place_radians(self, dtype: Any = np.float64) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The places' latitudes and longitudes in radians and their latitudes' cosines, in
        ``dtype``, converted once per catalog rather than on every query."""
        cache: dict[Any, tuple[np.ndarray, np.ndarray, np.ndarray]] = self.__dict__.setdefault(
            "_place_rad", {}
        )
        if dtype not in cache:
            places = self._places()
            assert places is not None
            _, lat, lon = places
            plat = np.radians(lat).astype(dtype)
            cache[dtype] = (plat, np.radians(lon).astype(dtype), np.cos(plat))
        return cache[dtype]

    def _place_distances(self, profile: PersonProfile) -> np.ndarray:
        """Distance in km to each place of :meth:`_places`, the same numbers as per row."""
        assert profile.home_lat is not None and profile.home_lon is not None
        return _haversine_rad(profile.home_lat, profile.home_lon, *self._place_radians())

    def candidates(self, profile: PersonProfile) -> tuple[np.ndarray, np.ndarray | None]:
        """Indices of resources breaking no rule, and their distances (None when home unknown).

        The distance rule first keeps a lat/lon bounding box, so haversine runs on few rows;
        when resources share places (see :meth:`_places`) both run once per place.
        """
        limit = profile.max_travel_km
        if limit is None or profile.home_lat is None or profile.home_lon is None:
            m = self.mask(profile, skip_distance=True)
            cand = np.flatnonzero(m)
            return cand, self._dist_at(profile, cand, exact=False)
        m = self.mask(profile, skip_distance=True)
        # A box a little larger than the circle: the exact distance below decides. Degrees of
        # the same sphere as ``haversine_km`` (111.195 km); the ellipsoid's 111.320 km for a
        # degree of longitude made the box narrower than the circle, so a place due east or
        # west near the limit was dropped here and kept by ``mask``.
        dlat = limit / _KM_PER_DEGREE * 1.01 + 1e-6
        dlon = (
            limit / (_KM_PER_DEGREE * max(math.cos(math.radians(profile.home_lat)), 1e-6)) * 1.01
            + 1e-6
        )
        places = self._places()
        if places is not None:
            place_of, lat, lon = places
            pdist = self._place_distances(profile)
            with np.errstate(invalid="ignore"):
                near = np.abs(lat - profile.home_lat) <= dlat
                near &= np.abs(lon - profile.home_lon) <= dlon
                near &= pdist <= limit
            m &= near[place_of]
            cand = np.flatnonzero(m)
            return cand, pdist[place_of[cand]]
        with np.errstate(invalid="ignore"):
            m &= np.abs(self.lat - profile.home_lat) <= dlat
            m &= np.abs(self.lon - profile.home_lon) <= dlon
        cand = np.flatnonzero(m)
        dist = self._dist_at(profile, cand)
        assert dist is not None
        keep = dist <= limit
        return cand[keep], dist[keep]

    def _dist_at(
        self, profile: PersonProfile, idx: np.ndarray, exact: bool = True
    ) -> np.ndarray | None:
        if profile.home_lat is None or profile.home_lon is None:
            return None
        if exact:
            places = self._places()
            if places is not None:
                return self._place_distances(profile)[places[0][idx]]
            plat, plon, pcos = self._radians()
            return _haversine_rad(
                profile.home_lat, profile.home_lon, plat[idx], plon[idx], pcos[idx]
            )
        # float32 (about a metre of error) is plenty for the distance preference
        places = self._places()
        if places is not None:
            rad = self._place_radians(np.float32)
            return _haversine32(profile.home_lat, profile.home_lon, *rad)[places[0][idx]]
        if not hasattr(self, "_rad32"):
            lat32 = np.radians(self.lat).astype(np.float32)
            self._rad32 = (lat32, np.radians(self.lon).astype(np.float32), np.cos(lat32))
        plat, plon, pcos = (a[idx] for a in self._rad32)
        return _haversine32(profile.home_lat, profile.home_lon, plat, plon, pcos)

    def mask(
        self,
        profile: PersonProfile,
        dist: np.ndarray | None = None,
        skip_distance: bool = False,
    ) -> np.ndarray:
        """Boolean array: True where the resource breaks no hard rule for the person."""
        m = self.available.copy()
        if profile.age is not None:
            age = float(profile.age)
            with np.errstate(invalid="ignore"):
                m &= ~(self.min_age > age)
                m &= ~(self.max_age < age)
        if not profile.has_certificate:
            m &= ~self.requires_certificate
        pm = day_mask(profile.days)
        if pm:
            m &= (self.days == 0) | ((self.days & pm) != 0)
        if profile.needs_wheelchair_access:
            m &= self.wheelchair
        if not skip_distance and profile.max_travel_km is not None and profile.home_lat is not None:
            if dist is None:
                dist = self.distances(profile)
            assert dist is not None
            with np.errstate(invalid="ignore"):
                m &= dist <= profile.max_travel_km  # nan (unknown place) fails, as in check_rules
        for rid in profile.excluded_resource_ids:
            i = self.index.get(rid)
            if i is not None:
                m[i] = False
        return m

#!/usr/bin/env python3
"""Deterministic event log of the sports-nutrition store (examples/sports-nutrition/journey.yaml).

Built in, as the article describes: a checkout problem (app users abandon at payment far more
often than web users) and a low repeat-purchase rate (about 14 % of buyers order again within
60 days). Event names match the touchpoints' `events` patterns in the journey.

    python3 generate_events.py --users 20000 --seed 7 > events.csv
"""

from __future__ import annotations

import argparse
import csv
import random
import sys
from datetime import datetime, timedelta, timezone

START = datetime(2026, 9, 1, tzinfo=timezone.utc)


def user_events(rng: random.Random, user: int) -> list[tuple[datetime, str, str, str]]:
    platform = "app" if rng.random() < 0.45 else "web"
    persona = rng.choices(["beginner", "experienced-athlete", "coach"], weights=[55, 35, 10])[0]
    t = START + timedelta(minutes=rng.randrange(60 * 24 * 60))
    rows: list[tuple[datetime, str, str, str]] = []

    def emit(event: str, minutes: float) -> None:
        nonlocal t
        t += timedelta(minutes=minutes)
        rows.append((t, event, platform, persona))

    emit("ad_click_social" if rng.random() < 0.6 else "ad_click_search", 0)
    if rng.random() > 0.85:
        return rows  # bounced after the ad
    emit("catalog_view", rng.uniform(0.2, 3))
    if rng.random() < 0.5:
        emit("search", rng.uniform(0.5, 4))
    if rng.random() < 0.4:
        emit("reviews_view", rng.uniform(1, 10))
    if rng.random() > 0.7:
        return rows
    emit("product_view", rng.uniform(0.5, 5))
    if rng.random() < 0.2:  # back to the catalogue, then the product again
        emit("catalog_view", rng.uniform(0.5, 3))
        emit("product_view", rng.uniform(0.5, 3))
    if rng.random() < 0.08:
        emit("support_call", rng.uniform(5, 120))
    if persona == "coach" and rng.random() < 0.3:
        emit("bulk_request", rng.uniform(10, 600))
    if rng.random() > 0.55:
        return rows
    emit("checkout_start", rng.uniform(1, 10))
    # The checkout problem: the app's payment step loses far more customers.
    if rng.random() < (0.45 if platform == "app" else 0.18):
        return rows
    emit("checkout_payment", rng.uniform(1, 6))
    emit("order_placed", rng.uniform(0.2, 2))
    if rng.random() < 0.8:
        emit("order_email_open", rng.uniform(5, 600))
    emit("delivery_courier", rng.uniform(60 * 24, 60 * 24 * 4))
    if rng.random() < 0.1:
        emit("first_use_feedback", rng.uniform(60 * 24, 60 * 24 * 7))
    if rng.random() < 0.15:
        emit("newsletter_open", rng.uniform(60 * 24 * 3, 60 * 24 * 14))
    # The low repeat-purchase rate: few customers come back for a second order.
    if rng.random() < 0.14:
        emit("repeat_order", rng.uniform(60 * 24 * 20, 60 * 24 * 60))
        emit("order_placed", rng.uniform(1, 5))
    if rng.random() < 0.03:
        emit("referral_share", rng.uniform(60, 60 * 24 * 10))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=20000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(["user_id", "timestamp", "event", "platform", "persona"])
    for user in range(args.users):
        for when, event, platform, persona in user_events(rng, user):
            stamp = when.strftime("%Y-%m-%dT%H:%M:%SZ")
            writer.writerow([f"u{user:06d}", stamp, event, platform, persona])


if __name__ == "__main__":
    main()

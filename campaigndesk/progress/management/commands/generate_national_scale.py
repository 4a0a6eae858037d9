from django.core.management.base import BaseCommand, CommandError

from campaigndesk.progress import scale


class Command(BaseCommand):
    help = ("Fill an empty database with a national-scale campaign for benchmarks: a "
            "ministry, 31 provinces, ~340 prefectures, ~2,800 counties, ~40,000 townships "
            "and 500,000 submitted activities (progress.scale). Not for a real installation.")

    def add_arguments(self, parser):
        parser.add_argument("--activities", type=int, default=500_000)
        parser.add_argument("--fraction", type=float, default=1.0,
                            help="scale the number of units below the provinces (0 < f <= 1)")
        parser.add_argument("--seed", type=int, default=17)

    def handle(self, *args, activities: int, fraction: float, seed: int, **options):
        if not 0 < fraction <= 1:
            raise CommandError("--fraction must be in (0, 1]")
        shape = {key: value if key == "provinces" else max(scale.SHAPE["provinces"],
                                                            int(value * fraction))
                 for key, value in scale.SHAPE.items()}
        try:
            made = scale.generate(shape=shape, activities=activities, seed=seed)
        except RuntimeError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"{made.units:,} units, {made.activities:,} activities in {made.seconds:.1f} s "
            f"({made.totals_seconds:.1f} s of it the maintained totals); campaign "
            f"{made.campaign.pk}, log in as bench-admin / {scale.PASSWORD}")

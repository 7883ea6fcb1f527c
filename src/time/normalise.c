/*
 * normalise: calendar arithmetic for the time tagger.
 *
 * Design note: everything is done on a proleptic Gregorian day count
 * (days since 1970-01-01, Howard Hinnant's civil algorithms), so adding
 * days, finding weekdays and ISO weeks are a few integer operations and
 * never loop over days.  Values are written by the grammar with these
 * results; nothing here allocates.
 */
#include "time/time.h"

long time_days(int y, int m, int d)
{
	long yy = (long)y - (m <= 2);
	long era = (yy >= 0 ? yy : yy - 399) / 400;
	long yoe = yy - era * 400;
	long mp = (m + 9) % 12;
	long doy = (153 * mp + 2) / 5 + d - 1;
	long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

time_date time_from_days(long z)
{
	z += 719468;
	long era = (z >= 0 ? z : z - 146096) / 146097;
	long doe = z - era * 146097;
	long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	long y = yoe + era * 400;
	long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	long mp = (5 * doy + 2) / 153;
	long d = doy - (153 * mp + 2) / 5 + 1;
	long m = mp < 10 ? mp + 3 : mp - 9;
	time_date r = {(int)(y + (m <= 2)), (int)m, (int)d};
	return r;
}

int time_wday(int y, int m, int d)
{
	long z = time_days(y, m, d);
	/* 1970-01-01 was a Thursday (4) */
	long w = (z + 3) % 7;
	if (w < 0)
		w += 7;
	return (int)w + 1;
}

int time_mdays(int y, int m)
{
	static const int md[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (m < 1 || m > 12)
		return 31;
	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return md[m - 1];
}

int time_isoweek(int y, int m, int d, int *wy)
{
	long z = time_days(y, m, d);
	int wd = time_wday(y, m, d);
	/* the Thursday of this week decides the year */
	time_date th = time_from_days(z - wd + 4);
	long jan1 = time_days(th.y, 1, 1);
	if (wy)
		*wy = th.y;
	return (int)((z - wd + 4 - jan1) / 7) + 1;
}

int time_parse_date(const char *s, size_t n, time_date *out)
{
	if (n < 10)
		return -1;
	for (int i = 0; i < 10; i++) {
		if (i == 4 || i == 7) {
			if (s[i] != '-')
				return -1;
		} else if (s[i] < '0' || s[i] > '9') {
			return -1;
		}
	}
	int y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 +
		(s[3] - '0');
	int m = (s[5] - '0') * 10 + (s[6] - '0');
	int d = (s[8] - '0') * 10 + (s[9] - '0');
	if (y < 1 || m < 1 || m > 12 || d < 1 || d > time_mdays(y, m))
		return -1;
	out->y = y;
	out->m = m;
	out->d = d;
	return 0;
}

time_date time_add_days(time_date t, long n)
{
	return time_from_days(time_days(t.y, t.m, t.d) + n);
}

time_date time_add_months(time_date t, int n)
{
	long mm = (long)t.y * 12 + (t.m - 1) + n;
	time_date r;
	r.y = (int)(mm >= 0 ? mm / 12 : (mm - 11) / 12);
	r.m = (int)(mm - (long)r.y * 12) + 1;
	r.d = t.d;
	int md = time_mdays(r.y, r.m);
	if (r.d > md)
		r.d = md;
	return r;
}

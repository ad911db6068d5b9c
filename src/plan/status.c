#include "plan/status.h"

#include <string.h>

void plan_period_of(plan_freq f, int day, int *start, int *end)
{
    int y, m, d;
    plan_day_to_ymd(day, &y, &m, &d);
    switch (f) {
    case PLAN_MONTHLY:
        *start = plan_day_from_ymd(y, m, 1);
        *end = (m == 12 ? plan_day_from_ymd(y + 1, 1, 1) : plan_day_from_ymd(y, m + 1, 1)) - 1;
        return;
    case PLAN_QUARTERLY: {
        int qm = (m - 1) / 3 * 3 + 1;
        *start = plan_day_from_ymd(y, qm, 1);
        *end = (qm == 10 ? plan_day_from_ymd(y + 1, 1, 1) : plan_day_from_ymd(y, qm + 3, 1)) - 1;
        return;
    }
    case PLAN_YEARLY:
        *start = plan_day_from_ymd(y, 1, 1);
        *end = plan_day_from_ymd(y + 1, 1, 1) - 1;
        return;
    default:
        *start = *end = day;
        return;
    }
}

static int has_report_in(const int *dates, size_t n, int from, int to, int today)
{
    for (size_t i = 0; i < n; i++)
        if (dates[i] >= from && dates[i] <= to && dates[i] <= today)
            return 1;
    return 0;
}

plan_status plan_status_derive(const plan_sched *s, const int *dates, const unsigned char *done,
                               size_t n, int activity, int today, plan_status_info *info)
{
    plan_status_info local;
    if (!info)
        info = &local;
    memset(info, 0, sizeof *info);
    info->overdue_since = -1;
    info->next_due = -1;
    info->done_on = -1;
    for (size_t i = 0; i < n; i++) {
        if (dates[i] > today)
            continue;
        info->reports++;
        if (done && done[i] && (info->done_on < 0 || dates[i] < info->done_on))
            info->done_on = dates[i];
    }
    int grace = s->grace_days > 0 ? s->grace_days : 0;
    if (s->freq == PLAN_ONCE) {
        if (info->done_on >= 0)
            return info->status = PLAN_DONE;
        info->next_due = s->due;
        if (today > s->due) {
            info->overdue_since = s->due + 1;
            return info->status = PLAN_OVERDUE;
        }
    } else {
        int ps, pe;
        plan_period_of(s->freq, s->start, &ps, &pe);
        for (int guard = 0; ps <= s->due && guard < 100000; guard++) {
            info->periods++;
            if (today > pe + grace) {
                info->ended++;
                if (!has_report_in(dates, n, ps, pe, today)) {
                    info->missed++;
                    if (info->overdue_since < 0)
                        info->overdue_since = pe + grace + 1;
                }
            } else if (info->next_due < 0) {
                info->next_due = pe;
            }
            plan_period_of(s->freq, pe + 1, &ps, &pe);
        }
        if (info->done_on >= 0)
            return info->status = PLAN_DONE;
        if (info->missed > 0)
            return info->status = PLAN_OVERDUE;
        if (info->ended == info->periods && info->periods > 0) {
            plan_period_of(s->freq, s->due, &ps, &pe);
            info->done_on = pe;
            return info->status = PLAN_DONE;
        }
    }
    if (info->reports > 0 || activity)
        return info->status = PLAN_IN_PROGRESS;
    return info->status = PLAN_NOT_STARTED;
}

static const char *const names[] = {"not_started", "in_progress", "done", "overdue"};
static const char *const labels[] = {"Chưa triển khai", "Đang thực hiện", "Hoàn thành",
                                     "Quá hạn"};

const char *plan_status_name(plan_status s)
{
    return (unsigned)s < 4 ? names[s] : names[0];
}

const char *plan_status_label(plan_status s)
{
    return (unsigned)s < 4 ? labels[s] : labels[0];
}

int plan_status_from_name(const char *s)
{
    for (int i = 0; s && i < 4; i++)
        if (strcmp(s, names[i]) == 0)
            return i;
    return -1;
}

/* score: the scoring rules. A question scores when the set of options chosen
 * equals the key exactly (all-or-nothing, also for multi-select); a voided
 * question scores for everyone. Each question is worth points_per_question. */
#ifndef CCHC_SCORE_H
#define CCHC_SCORE_H

typedef struct score_key {
    unsigned correct_mask; /* original option bits */
    int voided;
} score_key;

/* 1 if the chosen original-option bits earn the point. */
int score_question(unsigned chosen_original, const score_key *key);

typedef struct score_result {
    int correct;
    int total;
    int score;
    int max_score;
} score_result;

/* Totals for n questions given chosen[i] (original bits, 0 = unanswered). */
score_result score_attempt(const unsigned *chosen, const score_key *keys, int n, int points);

#endif

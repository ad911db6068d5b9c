#include "quiz/score.h"

int score_question(unsigned chosen_original, const score_key *key)
{
    if (key->voided)
        return 1;
    return chosen_original != 0 && chosen_original == key->correct_mask;
}

score_result score_attempt(const unsigned *chosen, const score_key *keys, int n, int points)
{
    score_result r = {0, n, 0, n * points};
    for (int i = 0; i < n; i++)
        r.correct += score_question(chosen[i], &keys[i]);
    r.score = r.correct * points;
    return r;
}

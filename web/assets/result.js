/* Result page (result.html?attempt=ID): score and, when allowed, the review. */
(function () {
  'use strict';
  const C = window.CCHC;
  const { el, $, clear, api, showMsg, fmtNum, fmtDuration, fmtTime } = C;

  const attemptId = C.param('attempt');
  const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';

  function asList(v) {
    if (v === null || v === undefined) return [];
    return (Array.isArray(v) ? v : [v]).map(Number);
  }

  async function init() {
    if (!attemptId) {
      $('#loading').remove();
      showMsg($('#msg'), 'Thiếu mã bài thi trong đường dẫn.', 'error');
      return;
    }
    let loaded;
    try {
      loaded = await C.loadAttempt(attemptId);
    } catch (e) {
      $('#loading').remove();
      showMsg($('#msg'), e.message, 'error');
      return;
    }
    const { attempt: a, token, contestId } = loaded;
    $('#loading').remove();
    const links = clear($('#links'));
    if (contestId) {
      links.appendChild(el('a', { class: 'btn', href: 'contest.html?id=' + encodeURIComponent(contestId) }, 'Về trang cuộc thi'));
      links.appendChild(el('a', { class: 'btn secondary', href: 'leaderboard.html?contest=' + encodeURIComponent(contestId) }, 'Bảng xếp hạng'));
    }
    $('#result').classList.remove('hidden');

    if (a.status === 'open') {
      $('#score').textContent = '—';
      $('#score-h').classList.remove('sr-only');
      showMsg($('#msg'), 'Bài thi này chưa được nộp.', 'warn');
      links.insertBefore(el('a', { class: 'btn', href: 'quiz.html?attempt=' + encodeURIComponent(attemptId) }, 'Tiếp tục làm bài'), links.firstChild);
      return;
    }
    const r = a.result || {};
    $('#score').textContent = fmtNum(r.score, 2) + '/' + fmtNum(r.max_score, 2);
    $('#score').setAttribute('aria-label', fmtNum(r.score, 2) + ' trên ' + fmtNum(r.max_score, 2) + ' điểm');
    const meta = clear($('#result-meta'));
    const row = (k, v) => el('div', null, el('dt', null, k + ': '), el('dd', null, v));
    meta.appendChild(row('Trạng thái', C.ATTEMPT_STATUS[a.status] || a.status));
    if (r.total !== undefined) meta.appendChild(row('Số câu đúng', fmtNum(r.correct) + '/' + fmtNum(r.total)));
    if (r.duration_ms !== undefined) meta.appendChild(row('Thời gian làm bài', fmtDuration(r.duration_ms)));
    if (a.prediction_question) meta.appendChild(row('Dự đoán của bạn', a.prediction === null || a.prediction === undefined ? 'chưa trả lời' : fmtNum(a.prediction)));
    if (a.status === 'expired') showMsg($('#msg'), 'Bài thi đã hết giờ và được chấm với các câu trả lời đã lưu.', 'info');

    const contest = contestId
      ? api('GET', '/api/contests/' + encodeURIComponent(contestId)).catch(() => null)
      : Promise.resolve(null);
    contest.then((c) => {
      if (c) {
        const rd = (c.rounds || []).find((x) => String(x.id) === String(a.round_id));
        $('#round-name').textContent = c.title + (rd ? ' — ' + rd.title : '');
      }
      offerCertificate(links, token, c && c.certificate, r);
    });
    loadReview(token);
  }

  /* The download button only where the contest gives certificates and this
   * result can earn one; without the contest's rules (offline), the button,
   * and the server's answer says why if not. */
  function offerCertificate(links, token, cert, r) {
    const who = cert && cert.who;
    if (who === 'off') return;
    if (who === 'min_score' && Number(r.score) < Number(cert.min_score)) {
      showMsg($('#cert-note'), 'Giấy chứng nhận được cấp khi kết quả được tính của bạn trong vòng thi đạt từ ' +
        fmtNum(cert.min_score) + ' điểm trở lên; bài thi này đạt ' + fmtNum(r.score) + ' điểm.', 'info');
      return;
    }
    links.appendChild(el('button', { type: 'button', class: 'secondary', id: 'cert-download',
      onclick: () => downloadCertificate(token) }, 'Tải giấy chứng nhận (PDF)'));
  }

  /* The certificate needs the Bearer token, so it is fetched and saved as a blob. */
  async function downloadCertificate(token) {
    const btn = $('#cert-download');
    btn.disabled = true;
    try {
      const res = await fetch('/api/attempts/' + encodeURIComponent(attemptId) + '/certificate.pdf',
        { headers: { Authorization: 'Bearer ' + token }, cache: 'no-store' });
      if (!res.ok) {
        let body = null;
        try { body = await res.json(); } catch (e) { /* not JSON */ }
        throw new C.ApiError(res.status, body, 'Không tải được giấy chứng nhận (mã ' + res.status + ').');
      }
      const blob = await res.blob();
      const m = /filename="([^"]+)"/.exec(res.headers.get('Content-Disposition') || '');
      const link = el('a', { href: URL.createObjectURL(blob), download: m ? m[1] : 'giay-chung-nhan.pdf' });
      document.body.appendChild(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(link.href), 60000);
    } catch (e) {
      showMsg($('#msg'), e instanceof C.ApiError ? e.message : 'Không tải được giấy chứng nhận. Vui lòng kiểm tra mạng và thử lại.', 'error');
    } finally {
      btn.disabled = false;
    }
  }

  async function loadReview(token) {
    const sec = $('#review');
    try {
      const data = await api('GET', '/api/attempts/' + encodeURIComponent(attemptId) + '/review', { token });
      sec.classList.remove('hidden');
      renderReview(data.questions || []);
    } catch (e) {
      sec.classList.remove('hidden');
      let text = e.message;
      if (e.code === 'review_not_available') {
        const err = (e.body && e.body.error) || {};
        const opens = err.opens_at_ms || err.opens_at || (e.body && (e.body.opens_at_ms || e.body.opens_at));
        if (opens && !/\d{1,2}:\d{2}/.test(text)) text += ' Bạn có thể xem lại bài từ ' + fmtTime(opens) + '.';
      }
      showMsg($('#review-msg'), text, e.code === 'review_not_available' ? 'info' : 'error');
    }
  }

  function renderReview(qs) {
    const box = clear($('#review-list'));
    qs.forEach((q, i) => {
      const yours = asList(q.your_answer);
      const key = asList(q.correct_answer);
      const answered = yours.length > 0;
      const state = q.is_correct ? 'right' : 'wrong';
      const verdict = q.is_correct ? 'Đúng' : (answered ? 'Sai' : 'Chưa trả lời');
      const ol = el('ol', { type: 'A' });
      (q.options || []).forEach((opt, j) => {
        const isKey = key.includes(j);
        const isYours = yours.includes(j);
        ol.appendChild(el('li', { class: isKey ? 'correct' : (isYours ? 'chosen-wrong' : '') },
          opt,
          isYours ? el('span', { class: 'tag yours' }, 'Bạn chọn') : null,
          isKey ? el('span', { class: 'tag key' }, 'Đáp án đúng') : null));
      });
      const src = q.source || {};
      const cite = [src.article, src.document].filter(Boolean).join(', ');
      box.appendChild(el('section', { class: 'card review-q ' + state, 'aria-labelledby': 'rq-' + i },
        el('h3', { id: 'rq-' + i },
          el('span', { class: 'q-num' }, 'Câu ' + (i + 1) + '. '),
          el('span', { style: 'white-space:pre-line' }, q.text)),
        el('p', null, el('span', { class: 'badge ' + (q.is_correct ? 'right' : 'wrong') }, verdict),
          q.multi ? el('span', { class: 'muted small' }, ' (nhiều đáp án)') : null),
        ol,
        el('p', { class: 'small' },
          el('strong', null, 'Câu trả lời của bạn: '), answered ? yours.map((j) => LETTERS[j]).join(', ') : 'không trả lời',
          el('br'),
          el('strong', null, 'Đáp án đúng: '), key.map((j) => LETTERS[j]).join(', ') || '—'),
        q.explanation ? el('div', { class: 'explain' }, el('strong', null, 'Giải thích: '), q.explanation) : null,
        cite ? el('p', { class: 'small muted', style: 'margin-top:6px' }, el('strong', null, 'Căn cứ pháp lý: '), cite) : null));
    });
  }

  init();
})();

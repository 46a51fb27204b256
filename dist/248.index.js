export const id = 248;
export const ids = [248];
export const modules = {

/***/ 9248:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   githubIssueApi: () => (/* binding */ githubIssueApi)
/* harmony export */ });
/* harmony import */ var _actions_github__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(1351);
/* harmony import */ var _actions_github_lib_utils__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(5555);
/* harmony import */ var _octokit_plugin_retry__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(9735);
/* harmony import */ var _octokit_plugin_throttling__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(6856);
/* harmony import */ var bottleneck__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(2203);
/* harmony import */ var bottleneck__WEBPACK_IMPORTED_MODULE_2___default = /*#__PURE__*/__webpack_require__.n(bottleneck__WEBPACK_IMPORTED_MODULE_2__);





/** Rate-limit waits longer than this are not waited out: the run would idle too long. */
const MAX_RATE_LIMIT_WAIT_SECONDS = 120;
const RATE_LIMIT_RETRIES = 3;
function isLoopback(url) {
    try {
        const host = new URL(url).hostname;
        return host === 'localhost' || host === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(host);
    }
    catch {
        return false;
    }
}
/** The throttling plugin's pacing, a hundred times faster: for the emulator only. */
function fastPacing() {
    return {
        write: new (bottleneck__WEBPACK_IMPORTED_MODULE_2___default().Group)({ maxConcurrent: 1, minTime: 10 }),
        notifications: new (bottleneck__WEBPACK_IMPORTED_MODULE_2___default().Group)({ maxConcurrent: 1, minTime: 30 }),
        search: new (bottleneck__WEBPACK_IMPORTED_MODULE_2___default().Group)({ maxConcurrent: 1, minTime: 20 })
    };
}
/**
 * An Octokit for the issue calls, with the throttling plugin (waits out primary and
 * secondary rate limits) and the retry plugin (retries 5xx with back-off), and an
 * IssueApi over it.
 */
function githubIssueApi(opts) {
    const [owner = '', repo = ''] = opts.repository.split('/');
    if (owner === '' || repo === '') {
        throw new Error(`GITHUB_REPOSITORY must be 'owner/name', got '${opts.repository}'`);
    }
    const baseUrl = (opts.apiUrl || 'https://api.github.com').replace(/\/+$/, '');
    const fast = opts.fastRetries === true && isLoopback(baseUrl);
    const scale = fast ? 0.01 : 1;
    const stats = { requests: 0, limited: 0 };
    const path = (url) => (url.startsWith(baseUrl) ? url.slice(baseUrl.length) : url);
    // @actions/github's defaults carry the runner's proxy settings in `request.fetch`; passing
    // `request` replaces them wholesale, so they are kept here explicitly.
    const baseFetch = _actions_github_lib_utils__WEBPACK_IMPORTED_MODULE_1__/* .defaults */ .NT.request?.fetch ?? fetch;
    const countingFetch = async (input, init) => {
        stats.requests++;
        const response = await baseFetch(input, init);
        const limited = response.status >= 500 ||
            response.status === 429 ||
            response.headers.has('retry-after') ||
            response.headers.get('x-ratelimit-remaining') === '0';
        if (limited)
            stats.limited++;
        if (response.status >= 400) {
            opts.log.debug(`GitHub answered ${response.status} to ${init?.method ?? 'GET'} ${path(String(input))}`);
        }
        return response;
    };
    const onLimit = (kind) => (retryAfter, options, _o, retryCount) => {
        const retrying = retryCount < RATE_LIMIT_RETRIES && retryAfter <= MAX_RATE_LIMIT_WAIT_SECONDS;
        opts.log.info(`GitHub ${kind} rate limit on ${options.method} ${path(options.url)}: ` +
            (retrying
                ? `waiting ${retryAfter} s, then retry ${retryCount + 1} of ${RATE_LIMIT_RETRIES}`
                : 'giving up'));
        return retrying;
    };
    const octokit = (0,_actions_github__WEBPACK_IMPORTED_MODULE_0__/* .getOctokit */ .Q)(opts.token, {
        baseUrl,
        request: { ..._actions_github_lib_utils__WEBPACK_IMPORTED_MODULE_1__/* .defaults */ .NT.request, fetch: countingFetch },
        log: {
            // Octokit's own warnings would add to the one warning a failed issue step makes.
            debug: (m) => opts.log.debug(m),
            info: (m) => opts.log.debug(m),
            warn: (m) => opts.log.debug(m),
            error: (m) => opts.log.debug(m)
        },
        throttle: {
            onRateLimit: onLimit('primary'),
            onSecondaryRateLimit: onLimit('secondary'),
            retryAfterBaseValue: 1000 * scale,
            // The plugin spaces writes 1 s apart and notifying writes 3 s apart, as GitHub asks.
            ...(fast ? fastPacing() : {})
        },
        retry: { retryAfterBaseValue: 1000 * scale }
    }, _octokit_plugin_throttling__WEBPACK_IMPORTED_MODULE_3__/* .throttling */ .A, _octokit_plugin_retry__WEBPACK_IMPORTED_MODULE_4__/* .retry */ .L);
    const record = (issue) => ({
        number: issue.number,
        url: issue.html_url,
        title: issue.title,
        body: issue.body ?? null
    });
    const statusOf = (error) => error?.status;
    const api = {
        async openIssues(label) {
            const items = await octokit.paginate(octokit.rest.issues.listForRepo, {
                owner,
                repo,
                state: 'open',
                labels: label,
                per_page: 100
            });
            return items.filter(i => !i.pull_request).map(record);
        },
        async lastClosed(label, match) {
            const pages = octokit.paginate.iterator(octokit.rest.issues.listForRepo, {
                owner,
                repo,
                state: 'closed',
                labels: label,
                sort: 'created',
                direction: 'desc',
                per_page: 100
            });
            for await (const page of pages) {
                for (const item of page.data) {
                    if (item.pull_request)
                        continue;
                    const issue = record(item);
                    if (match(issue))
                        return issue;
                }
            }
            return null;
        },
        async labelExists(name) {
            try {
                await octokit.rest.issues.getLabel({ owner, repo, name });
                return true;
            }
            catch (error) {
                if (statusOf(error) === 404)
                    return false;
                throw error;
            }
        },
        async createLabel(name, color, description) {
            try {
                await octokit.rest.issues.createLabel({ owner, repo, name, color, description });
            }
            catch (error) {
                // Someone (or a parallel job) created it in the meantime.
                if (statusOf(error) !== 422)
                    throw error;
            }
        },
        async createIssue(issue) {
            const { data } = await octokit.rest.issues.create({
                owner,
                repo,
                title: issue.title,
                body: issue.body,
                labels: [...issue.labels],
                ...(issue.assignees.length > 0 ? { assignees: [...issue.assignees] } : {})
            });
            return record(data);
        },
        async updateIssue(number, change) {
            const { data } = await octokit.rest.issues.update({
                owner,
                repo,
                issue_number: number,
                ...(change.body !== undefined ? { body: change.body } : {}),
                ...(change.state ? { state: change.state, state_reason: change.stateReason } : {})
            });
            return record(data);
        },
        async comment(number, body) {
            await octokit.rest.issues.createComment({ owner, repo, issue_number: number, body });
        }
    };
    return { api, stats };
}


/***/ })

};

export const id = 464;
export const ids = [464];
export const modules = {

/***/ 4464:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  ACCOUNTS_IN_PARALLEL: () => (/* binding */ ACCOUNTS_IN_PARALLEL),
  reportCrash: () => (/* binding */ reportCrash),
  run: () => (/* binding */ run)
});

// EXTERNAL MODULE: ./node_modules/@actions/core/lib/core.js + 14 modules
var core = __webpack_require__(6421);
// EXTERNAL MODULE: ./node_modules/@aws-sdk/client-iam/dist-cjs/index.js
var dist_cjs = __webpack_require__(6764);
// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(1455);
// EXTERNAL MODULE: external "node:os"
var external_node_os_ = __webpack_require__(8161);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
;// CONCATENATED MODULE: ./src/errors.ts
/**
 * Turns anything thrown into one line a user can read. A gate must never fail open because
 * something other than an `Error` was thrown, so every value gets a message.
 */
function errorMessage(error) {
    if (error instanceof Error) {
        const name = error.name && error.name !== 'Error' ? `${error.name}: ` : '';
        return `${name}${error.message}`;
    }
    if (typeof error === 'string')
        return error;
    try {
        return JSON.stringify(error) ?? String(error);
    }
    catch {
        return String(error);
    }
}
/** An error whose message is already written for the user: no name prefix, no stack. */
class UserFacingError extends Error {
    constructor(message) {
        super(message);
        this.name = 'UserFacingError';
    }
}
/** Message of a user-facing error as is; anything else with its error name for context. */
function describeFailure(error) {
    return error instanceof UserFacingError ? error.message : errorMessage(error);
}
/** The AWS error code of an SDK error (`Throttling`, `AccessDenied`, …), when there is one. */
function awsErrorCode(error) {
    if (typeof error !== 'object' || error === null)
        return undefined;
    const e = error;
    for (const c of [e.Code, e.code, e.name])
        if (typeof c === 'string' && c !== 'Error')
            return c;
    return undefined;
}
/** The HTTP status an SDK error came with, when there is one. */
function httpStatus(error) {
    if (typeof error !== 'object' || error === null)
        return undefined;
    const meta = error.$metadata;
    return typeof meta?.httpStatusCode === 'number' ? meta.httpStatusCode : undefined;
}

// EXTERNAL MODULE: ./src/format.ts
var format = __webpack_require__(6264);
// EXTERNAL MODULE: ./src/judge.ts
var judge = __webpack_require__(6436);
;// CONCATENATED MODULE: ./src/pool.ts
/**
 * Runs tasks with at most `limit` in flight. Tasks queue in order; a rejected task does not
 * stop the others (each caller gets its own result or error).
 */
class Pool {
    limit;
    active = 0;
    waiting = [];
    constructor(limit) {
        this.limit = limit;
        if (!Number.isInteger(limit) || limit < 1)
            throw new RangeError(`pool limit must be a whole number ≥ 1, got ${limit}`);
    }
    /** Number of tasks running now. */
    get running() {
        return this.active;
    }
    /** Runs `task` when a slot is free; `first` puts it ahead of the queue (e.g. the next page). */
    async run(task, first = false) {
        // A finishing task hands its slot straight to the next waiter, so a newcomer can never
        // slip in between and push the count over the limit.
        if (this.active < this.limit)
            this.active++;
        else
            await new Promise(resolve => first ? this.waiting.unshift(resolve) : this.waiting.push(resolve));
        try {
            return await task();
        }
        finally {
            const next = this.waiting.shift();
            if (next)
                next();
            else
                this.active--;
        }
    }
}

;// CONCATENATED MODULE: ./src/retry.ts

const realSleep = ms => new Promise(resolve => setTimeout(resolve, ms));
const THROTTLING_CODES = new Set([
    'Throttling',
    'ThrottlingException',
    'ThrottledException',
    'RequestThrottled',
    'RequestThrottledException',
    'TooManyRequestsException',
    'RequestLimitExceeded',
    'SlowDown',
    'PriorRequestNotComplete'
]);
const TRANSIENT_CODES = new Set([
    'ServiceFailure',
    'ServiceUnavailable',
    'InternalFailure',
    'InternalError',
    'RequestTimeout',
    'RequestTimeoutException',
    'IDPCommunicationError',
    'TimeoutError',
    'ECONNRESET',
    'ECONNREFUSED',
    'EPIPE',
    'ETIMEDOUT'
]);
/** True when AWS asked us to slow down. */
function isThrottling(error) {
    const code = awsErrorCode(error);
    return (code !== undefined && THROTTLING_CODES.has(code)) || httpStatus(error) === 429;
}
/** True when a later attempt of the same call may succeed (throttling, 5xx, network). */
function isRetryable(error) {
    if (isThrottling(error))
        return true;
    const code = awsErrorCode(error);
    if (code !== undefined && TRANSIENT_CODES.has(code))
        return true;
    const status = httpStatus(error);
    if (status !== undefined)
        return status >= 500;
    // No HTTP status at all: the request never got an answer (socket reset, DNS, timeout).
    const sys = error?.code;
    return typeof sys === 'string' && TRANSIENT_CODES.has(sys);
}
/** Full-jitter exponential backoff delay for a zero-based retry number. */
function fullJitterDelay(retry, baseMs, capMs, random = Math.random) {
    const ceiling = Math.min(capMs, baseMs * 2 ** retry);
    return Math.floor(random() * ceiling);
}
/**
 * Runs `fn` until it succeeds, fails with an error that is not retryable, or runs out of
 * attempts; then the last error is thrown as it was.
 */
async function withRetry(fn, opts) {
    const sleep = opts.sleep ?? realSleep;
    const retryable = opts.retryable ?? isRetryable;
    for (let attempt = 1;; attempt++) {
        try {
            return await fn(attempt);
        }
        catch (error) {
            if (attempt >= opts.attempts || !retryable(error))
                throw error;
            const delayMs = fullJitterDelay(attempt - 1, opts.baseMs, opts.capMs, opts.random);
            opts.onRetry?.({ attempt, attempts: opts.attempts, error, delayMs });
            await sleep(delayMs);
        }
    }
}
/** The log line for a failed attempt, without secrets: only the error's code and message. */
function retryLogLine(what, attempt, attempts, error) {
    return `${what}: attempt ${attempt} of ${attempts} failed: ${errorMessage(error)}`;
}

;// CONCATENATED MODULE: ./src/deactivate.ts






/** A key used more recently than this is never deactivated: it is carrying live traffic. */
const RECENT_USE_MS = judge/* DAY_MS */.sO;
const REASONS = {
    idle: ['idle'],
    age: ['age'],
    'idle-and-age': ['idle', 'age']
};
/**
 * Which rows `deactivate` acts on, and which it spares. Pure. A candidate is an Active key
 * with verdict `violation` for a reason the mode names (never an exempt key, a warning, or a
 * key broken only by having a sibling). It is spared when it was used within the last 24
 * hours, by its exact last-use time, and when its last use could not be read at all (the 24
 * hours cannot be proved). At most one key per user is deactivated in one run (`onePerUser`
 * lists the others).
 */
function deactivationPlan(rows, mode, now) {
    const deactivate = [];
    const spared = [];
    if (mode === 'off')
        return { deactivate, spared, onePerUser: [] };
    for (const row of rows) {
        if (row.verdict !== 'violation' || row.status !== 'Active' || row.accessKeyId === null)
            continue;
        if (!row.reasons.some(r => REASONS[mode].includes(r)))
            continue;
        const usedRecently = row.idleDays === null ||
            (row.lastUsedDate !== null && now.getTime() - row.lastUsedDate.getTime() < RECENT_USE_MS);
        (usedRecently ? spared : deactivate).push(row);
    }
    // Switching off every key of a user at once cuts it off entirely (a complaint users have
    // of Cloud Custodian): one key per user a run, the longest idle first, the next one the
    // next night.
    const byUser = new Map();
    const onePerUser = [];
    for (const row of deactivate) {
        const kept = byUser.get(row.user);
        if (kept === undefined)
            byUser.set(row.user, row);
        else if ((row.idleDays ?? 0) > (kept.idleDays ?? 0)) {
            onePerUser.push(kept);
            byUser.set(row.user, row);
        }
        else
            onePerUser.push(row);
    }
    return { deactivate: [...byUser.values()], spared, onePerUser };
}
/**
 * Sets the keys of the plan to Inactive with UpdateAccessKey (never deletes), or under
 * `dryRun` only says it would. Each key's last use is confirmed live first. Returns the rows with their `action`, and an audit error for
 * each failed call: a deactivation that did not happen must not look like one that did.
 */
async function applyDeactivation(iam, rows, opts) {
    const plan = deactivationPlan(rows, opts.mode, opts.now);
    const actions = new Map();
    const errors = [];
    const id = (row) => (0,format/* shortKeyId */.JO)(row.accessKeyId ?? '', opts.revealKeyIds);
    let calls = 0;
    for (const row of plan.spared) {
        actions.set(row, 'spared-recent-use');
        opts.log(`Not deactivating ${row.user}'s key ${id(row)}: ${row.idleDays === null ? 'its last use could not be read' : 'it was used within the last 24 hours'}`);
    }
    for (const row of plan.onePerUser) {
        actions.set(row, 'spared-one-per-user');
        opts.log(`Not deactivating ${row.user}'s key ${id(row)} in this run: another key of this user is`);
    }
    const pool = new Pool(4);
    await Promise.all(plan.deactivate.map(row => pool.run(async () => {
        // The verdict may rest on a last use read minutes ago, or on the credential report
        // (up to 4 hours old): ask IAM once more right before switching a key off, so a key
        // that went back into use is never broken.
        let lastUsed;
        try {
            calls++;
            const out = await withRetry(() => iam.send(new dist_cjs/* GetAccessKeyLastUsedCommand */.qRl({ AccessKeyId: row.accessKeyId ?? '' })), { attempts: opts.attempts ?? 6, baseMs: 200, capMs: 10_000, sleep: opts.sleep });
            lastUsed = out.AccessKeyLastUsed?.LastUsedDate ?? null;
        }
        catch (error) {
            lastUsed = undefined;
            opts.log(`Could not confirm the last use of ${row.user}'s key ${id(row)}: ${(0,format/* redactKeyIds */.rO)(errorMessage(error), opts.revealKeyIds)}`);
        }
        if (lastUsed === undefined ||
            (lastUsed !== null && opts.now.getTime() - lastUsed.getTime() < RECENT_USE_MS)) {
            actions.set(row, 'spared-recent-use');
            opts.log(`Not deactivating ${row.user}'s key ${id(row)}: ${lastUsed === undefined ? 'its last use could not be confirmed' : 'it was used within the last 24 hours'}`);
            return;
        }
        if (opts.dryRun) {
            actions.set(row, 'would-deactivate');
            opts.log(`dry-run: would deactivate ${row.user}'s key ${id(row)} (${row.reasons.join(', ')})`);
            return;
        }
        try {
            await withRetry(() => {
                calls++;
                return iam.send(new dist_cjs/* UpdateAccessKeyCommand */.SF3({
                    UserName: row.user,
                    AccessKeyId: row.accessKeyId ?? '',
                    Status: 'Inactive'
                }));
            }, { attempts: opts.attempts ?? 6, baseMs: 200, capMs: 10_000, sleep: opts.sleep });
            actions.set(row, 'deactivated');
            opts.log(`Deactivated ${row.user}'s key ${id(row)} (${row.reasons.join(', ')})`);
        }
        catch (error) {
            actions.set(row, 'deactivation-failed');
            const message = `Could not deactivate access key ${id(row)} of user '${row.user}': ${(0,format/* redactKeyIds */.rO)(errorMessage(error), opts.revealKeyIds)}`;
            errors.push({ user: row.user, operation: 'UpdateAccessKey', message });
            opts.warn(message);
        }
    })));
    return {
        rows: rows.map(r => (actions.has(r) ? { ...r, action: actions.get(r) } : r)),
        errors,
        calls
    };
}

// EXTERNAL MODULE: ./src/thread.ts
var thread = __webpack_require__(5183);
// EXTERNAL MODULE: ./node_modules/csv-parse/lib/sync.js + 9 modules
var sync = __webpack_require__(5175);
;// CONCATENATED MODULE: ./src/credential-report.ts




/** Thrown for a credential report whose CSV cannot be trusted. */
class MalformedReportError extends Error {
    constructor(message) {
        super(message);
        this.name = 'MalformedReportError';
    }
}
/** The columns the gate reads; every one must be in the header. */
const REQUIRED_COLUMNS = [
    'user',
    'arn',
    'user_creation_time',
    'access_key_1_active',
    'access_key_1_last_rotated',
    'access_key_1_last_used_date',
    'access_key_1_last_used_region',
    'access_key_1_last_used_service',
    'access_key_2_active',
    'access_key_2_last_rotated',
    'access_key_2_last_used_date',
    'access_key_2_last_used_region',
    'access_key_2_last_used_service'
];
const ROOT_ROW = '<root_account>';
const ISO_DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})$/;
const USER_ARN = /^arn:[\w-]+:iam::\d{12}:user(\/(?:[\x21-\x7e]*\/)?)([^/]+)$/;
const ROOT_ARN = /^arn:[\w-]+:iam::\d{12}:root$/;
/**
 * Parses the report's CSV (already decoded from base64). Anything unexpected — a missing
 * column, a row of the wrong width, a flag that is not true/false, a date that is not ISO 8601,
 * an ARN that does not name the row's user — throws MalformedReportError: a report the gate
 * cannot read exactly is not used at all.
 */
function parseCredentialReport(csv, generatedAt) {
    let records;
    try {
        records = (0,sync/* parse */.qg)(csv, { bom: true, skip_empty_lines: true });
    }
    catch (error) {
        // The parser's own message says where; its class name differs once bundled.
        throw new MalformedReportError(`not valid CSV: ${error instanceof Error ? error.message : String(error)}`);
    }
    const header = records[0];
    if (!header)
        throw new MalformedReportError('the report is empty');
    const column = new Map(header.map((name, i) => [name.trim(), i]));
    const missing = REQUIRED_COLUMNS.filter(c => !column.has(c));
    if (missing.length > 0)
        throw new MalformedReportError(`the header lacks ${missing.map(c => `'${c}'`).join(', ')}`);
    const users = new Map();
    let root = null;
    for (let r = 1; r < records.length; r++) {
        const record = records[r];
        const line = r + 1;
        const cell = (name) => (record[column.get(name)] ?? '').trim();
        const user = cell('user');
        const arn = cell('arn');
        if (user === '')
            throw new MalformedReportError(`line ${line} has no user name`);
        let path = '/';
        if (user === ROOT_ROW) {
            if (!ROOT_ARN.test(arn))
                throw new MalformedReportError(`line ${line}: '${arn}' is not a root user ARN`);
        }
        else {
            const m = USER_ARN.exec(arn);
            if (!m || m[2] !== user)
                throw new MalformedReportError(`line ${line}: the ARN '${arn}' does not name user '${user}'`);
            path = m[1];
        }
        const slot = (n) => {
            const active = cell(`access_key_${n}_active`);
            if (active !== 'true' && active !== 'false')
                throw new MalformedReportError(`line ${line}: access_key_${n}_active is '${active}', not true or false`);
            const rotated = date(cell(`access_key_${n}_last_rotated`), line, `access_key_${n}_last_rotated`);
            const used = date(cell(`access_key_${n}_last_used_date`), line, `access_key_${n}_last_used_date`);
            return {
                active: active === 'true',
                lastRotated: rotated instanceof Date ? rotated : null,
                lastUsed: used instanceof Date
                    ? {
                        date: used,
                        service: value(cell(`access_key_${n}_last_used_service`)),
                        region: value(cell(`access_key_${n}_last_used_region`))
                    }
                    : used
            };
        };
        const createdCell = date(cell('user_creation_time'), line, 'user_creation_time');
        const created = createdCell instanceof Date ? createdCell : null;
        const row = { user, arn, path, slots: [slot(1), slot(2)], created };
        if (user === ROOT_ROW)
            root = row;
        else {
            const key = user.toLowerCase();
            if (users.has(key))
                throw new MalformedReportError(`user '${user}' appears twice`);
            users.set(key, row);
        }
    }
    return { generatedAt, users, root };
}
/** A report date cell: a Date, null for N/A, 'unknown' for no_information / not_supported. */
function date(text, line, name) {
    if (text === 'N/A' || text === '')
        return null;
    if (text === 'no_information' || text === 'not_supported')
        return 'unknown';
    const ms = ISO_DATE.test(text) ? Date.parse(text) : NaN;
    if (Number.isNaN(ms))
        throw new MalformedReportError(`line ${line}: ${name} is '${text}', not an ISO 8601 date`);
    return new Date(ms);
}
function value(text) {
    return text === '' || text === 'N/A' || text === 'no_information' || text === 'not_supported'
        ? null
        : text;
}
/**
 * Whether a user's keys must be listed. Pure. A key that existed when the report was generated
 * is in its user's row; so a user the report shows without a key, or does not show at all, can
 * only hold keys created since — younger than the report, see `reportSettlesNewKeys` — with
 * one exception the report cannot tell apart: an Inactive key that was never used (AWS gives it
 * N/A dates). It cannot be used while it stays inactive; one reactivated after the report was
 * generated is seen by the next run, whose report shows it active.
 */
function planUser(report, userName, userCreated) {
    const row = report.users.get(userName.toLowerCase());
    const second = (d) => Math.floor(d.getTime() / 1000);
    if (!row) {
        // Missing from the report is proof of youth only for a user created after it: a user
        // renamed since (UpdateUser keeps its keys, of any age) is missing too.
        return userCreated !== undefined && userCreated.getTime() > report.generatedAt.getTime()
            ? 'not-in-report'
            : 'list-keys';
    }
    // The row must be about this very user, not a former holder of the name.
    if (userCreated === undefined ||
        row.created === null ||
        second(row.created) !== second(userCreated))
        return 'list-keys';
    return row.slots.some(slotHoldsKey) ? 'list-keys' : 'no-key-in-report';
}
/**
 * Whether a report slot shows a key. AWS documents `access_key_N_last_rotated` as N/A when the
 * key is not active, so an Inactive key may show only through its last use; an Inactive key
 * never used looks exactly like no key (see `planUser`'s callers and the README).
 */
function slotHoldsKey(slot) {
    return slot.active || slot.lastRotated !== null || slot.lastUsed !== null;
}
/**
 * Decides whether a key's last use can be taken from the report. Pure: plain data, policy and
 * `now` in, a decision out.
 *
 * A key's last use can only be more recent than the report says, so idle time read from the
 * report is an upper bound: a key the report shows used within `max-idle-days` (and within
 * `warn-idle-days` when set) is certainly neither idle nor warned for idleness, whatever happened
 * since. Every other key is asked live: one the report shows past a threshold or never used
 * (it may have been used since), and one not matched to exactly one report slot by its creation
 * time (created since, or rotated). Age is never taken from here.
 */
function planKey(report, userName, key, policy, now) {
    const row = report.users.get(userName.toLowerCase());
    const created = Math.floor(key.createDate.getTime() / 1000);
    const matches = (row?.slots ?? []).filter(s => s.lastRotated !== null && Math.floor(s.lastRotated.getTime() / 1000) === created);
    if (matches.length === 0)
        return { source: 'api', why: 'no-slot' };
    if (matches.length > 1)
        return { source: 'api', why: 'ambiguous-slot' };
    const used = matches[0].lastUsed;
    if (used === null)
        return { source: 'api', why: 'never-used' };
    if (used === 'unknown')
        return { source: 'api', why: 'no-information' };
    const idle = (0,judge/* wholeDays */.n8)(used.date, now);
    const limit = Math.min(policy.maxIdleDays, policy.warnIdleDays ?? policy.maxIdleDays);
    if (idle > limit)
        return { source: 'api', why: 'past-threshold' };
    return { source: 'credential-report', lastUse: used };
}
/**
 * True when a key created after the report was generated cannot break policy nor warn: its age
 * and its idle time are at most the report's age in whole days, which must not exceed any
 * threshold. AWS serves a report at most 4 hours old, so this holds unless the clock or the
 * report is off; when it does not hold the report is not used.
 */
function reportSettlesNewKeys(generatedAt, policy, now) {
    const thresholds = [
        policy.maxAgeDays,
        policy.maxIdleDays,
        policy.warnAgeDays,
        policy.warnIdleDays
    ].filter((n) => n !== null);
    return (0,judge/* wholeDays */.n8)(generatedAt, now) <= Math.min(...thresholds);
}
/** Errors of GetCredentialReport after which generating again is the way on (wire codes and SDK names). */
const REGENERATE = new Set([
    'ReportInProgress',
    'ReportNotPresent',
    'ReportExpired',
    'CredentialReportNotReadyException',
    'CredentialReportNotPresentException',
    'CredentialReportExpiredException'
]);
/**
 * Generates the credential report (or reuses AWS's cached one), waits for it within a bounded
 * time, downloads and parses it. It never throws: any failure comes back as a reason, and the
 * caller falls back to asking every key live.
 */
async function fetchCredentialReport(iam, opts) {
    const fail = (reason) => ({ ok: false, reason });
    const denied = (operation, error) => {
        const code = awsErrorCode(error);
        const hint = code === 'AccessDenied' || code === 'AccessDeniedException'
            ? ` (the role needs iam:GenerateCredentialReport and iam:GetCredentialReport for last-used-source: credential-report)`
            : '';
        return fail(`${operation} failed: ${errorMessage(error)}${hint}`);
    };
    let waited = 0;
    let pause = opts.pollMs ?? 250;
    let lastState = '';
    for (;;) {
        let state;
        try {
            const out = await opts.call('GenerateCredentialReport', () => iam.send(new dist_cjs/* GenerateCredentialReportCommand */.seh({})));
            state = out.State ?? 'UNKNOWN';
            if (state !== lastState)
                opts.info?.(`Credential report: ${state}${out.Description ? ` (${out.Description})` : ''}`);
            lastState = state;
        }
        catch (error) {
            return denied('GenerateCredentialReport', error);
        }
        if (state === 'COMPLETE') {
            try {
                const out = await opts.call('GetCredentialReport', () => iam.send(new dist_cjs/* GetCredentialReportCommand */.DBo({})));
                if (!out.GeneratedTime || !out.Content)
                    return fail('GetCredentialReport answered without Content or GeneratedTime');
                const csv = Buffer.from(out.Content).toString('utf8');
                return { ok: true, report: parseCredentialReport(csv, out.GeneratedTime) };
            }
            catch (error) {
                if (error instanceof MalformedReportError)
                    return fail(`the credential report is malformed: ${error.message}`);
                // The cached report expired or was replaced between the two calls: generate again.
                if (!REGENERATE.has(awsErrorCode(error) ?? ''))
                    return denied('GetCredentialReport', error);
                lastState = awsErrorCode(error) ?? '';
            }
        }
        if (waited >= opts.maxWaitMs)
            return fail(`the credential report was still not ready after ${Math.round(opts.maxWaitMs / 1000)} s (last state ${lastState})`);
        const wait = Math.min(pause, opts.maxWaitMs - waited);
        await opts.sleep(wait);
        waited += wait;
        pause = Math.min(pause * 2, opts.maxPollMs ?? 5000);
    }
}
/**
 * Starts fetching the report and returns the plan that the inventory consults. A report that
 * cannot be used gives one warning, and then every user is listed and every key asked live,
 * as in api mode.
 */
function startFirstPass(iam, opts) {
    const use = {
        generatedAt: null,
        fallbackReason: null,
        usersNotListed: 0,
        usersNotInReport: 0,
        keysFromReport: 0,
        keysAskedLive: 0
    };
    // fetchCredentialReport does not throw; should it ever, the audit still goes on in api mode.
    const fetched = fetchCredentialReport(iam, opts).catch((error) => ({
        ok: false,
        reason: errorMessage(error)
    }));
    const ready = fetched.then(result => {
        let reason = result.ok ? null : result.reason;
        if (result.ok && !reportSettlesNewKeys(result.report.generatedAt, opts.policy, opts.now))
            reason = `the credential report was generated at ${result.report.generatedAt.toISOString()}, too long ago to vouch for keys created since`;
        if (!result.ok || reason !== null) {
            use.fallbackReason = reason;
            opts.warning?.(`The credential report is not used, so every key's last use is asked live (GetAccessKeyLastUsed): ${reason}`);
            return null;
        }
        use.generatedAt = result.report.generatedAt;
        return result.report;
    });
    return {
        use,
        planUser: async (userName, userCreated) => {
            const report = await ready;
            if (!report || opts.listEveryUser)
                return 'list-keys';
            const plan = planUser(report, userName, userCreated);
            if (plan === 'no-key-in-report')
                use.usersNotListed++;
            if (plan === 'not-in-report')
                use.usersNotInReport++;
            return plan;
        },
        planKey: async (userName, key) => {
            const report = await ready;
            if (!report)
                return { source: 'api', why: 'no-report' };
            const plan = planKey(report, userName, key, opts.policy, opts.now);
            if (plan.source === 'credential-report')
                use.keysFromReport++;
            else
                use.keysAskedLive++;
            return plan;
        }
    };
}

;// CONCATENATED MODULE: ./src/rate.ts
/**
 * Client-side rate control for one account's IAM calls.
 *
 * IAM throttles with a token bucket whose rate it does not publish. Limiting only the calls in
 * flight cannot find that rate: at 1 ms latency a single call in flight is already 1,000 calls
 * a second. So calls are paced by a send rate that this controller adapts:
 *
 * - **Slow start**: from a modest rate (20 calls/s) it doubles every quarter second while no call
 *   is throttled.
 * - **Multiplicative decrease**: a `Throttling` answer sets the rate to `beta` × the rate at
 *   which calls actually succeeded over the last `windowMs` (the bucket's real rate, as seen
 *   from here), or × the send rate when that is lower. Only a call sent after the last decrease
 *   can cause another one: the throttles of calls already in the air say nothing new.
 * - **Additive increase**: after that, each second of success adds `increase` × the rate, so
 *   the rate creeps back above the bucket's rate and probes for more.
 *
 * Throttled calls cost the server no tokens, so hovering just above its rate keeps the bucket
 * drained (full speed) while a few calls are throttled and retried; a rate below it wastes
 * tokens, which the bucket's burst only partly saves.
 */
const realClock = {
    now: () => performance.now(),
    sleep: ms => new Promise(resolve => setTimeout(resolve, ms))
};
const DEFAULTS = {
    initialRate: 20,
    minRate: 0.2,
    maxRate: 10_000,
    beta: 0.9,
    increase: 0.05,
    doublingMs: 250,
    windowMs: 2000
};
/** Paces calls at an adaptive rate; see the module comment for the algorithm. */
class RateController {
    o;
    clock;
    current;
    slowStart = true;
    lastGrowth;
    lastDecrease = -Infinity;
    decreaseCount = 0;
    successes = [];
    successHead = 0;
    // Pacing: a token bucket of capacity `capacity()` refilled at `current`, and a FIFO queue.
    tokens = 1;
    lastRefill;
    queue = [];
    pumping = false;
    constructor(opts = {}) {
        this.o = { ...DEFAULTS, ...stripUndefined(opts) };
        this.clock = opts.clock ?? realClock;
        this.current = Math.min(this.o.maxRate, Math.max(this.o.minRate, this.o.initialRate));
        this.lastGrowth = this.lastRefill = this.clock.now();
    }
    /** Current send rate, calls a second. */
    get rate() {
        return this.current;
    }
    snapshot() {
        return {
            rate: this.current,
            measured: this.measured(this.clock.now()),
            slowStart: this.slowStart,
            decreases: this.decreaseCount
        };
    }
    /** Waits for this call's turn; resolves with the send time to pass back to `throttled`. */
    async acquire() {
        await new Promise(resolve => {
            this.queue.push(resolve);
            if (!this.pumping)
                void this.pump();
        });
        return this.clock.now();
    }
    /** A call succeeded (or failed for a reason other than throttling). */
    succeeded() {
        const now = this.clock.now();
        this.successes.push(now);
        this.grow(now);
    }
    /** A call sent at `sentAt` was throttled. */
    throttled(sentAt) {
        const now = this.clock.now();
        if (sentAt < this.lastDecrease)
            return;
        const measured = this.measured(now);
        const base = measured > 0 ? Math.min(this.current, measured) : this.current;
        this.current = Math.max(this.o.minRate, base * this.o.beta);
        this.slowStart = false;
        this.lastDecrease = now;
        this.lastGrowth = now;
        this.decreaseCount++;
    }
    grow(now) {
        // A quiet spell (waiting for the credential report, a lull between pages) is no evidence
        // that IAM could take more: count at most one doubling period of it.
        const elapsed = Math.max(0, now - this.lastGrowth);
        const dt = this.slowStart ? Math.min(this.o.doublingMs, elapsed) : elapsed;
        this.lastGrowth = now;
        let next = this.slowStart
            ? this.current * 2 ** (dt / this.o.doublingMs)
            : this.current + this.current * this.o.increase * (dt / 1000);
        // When something else limits the calls (latency, the concurrency cap), a send rate far
        // above what succeeds is not a rate anyone is using: keep it within reach of reality.
        // Not in slow start: there the measured rate lags a doubling rate by design.
        if (!this.slowStart)
            next = Math.min(next, Math.max(2 * this.measured(now), this.o.initialRate));
        this.current = Math.min(this.o.maxRate, Math.max(this.o.minRate, next));
    }
    measured(now) {
        const from = now - this.o.windowMs;
        while (this.successHead < this.successes.length &&
            (this.successes[this.successHead] ?? Infinity) < from)
            this.successHead++;
        if (this.successHead > 4096) {
            this.successes.splice(0, this.successHead);
            this.successHead = 0;
        }
        // Measured from the first success in the window, not from its start: after a quiet spell
        // the window's empty part would make the rate look far lower than IAM just allowed, and a
        // decrease to that would take tens of seconds to climb back from. A floor on the span keeps
        // a burst answered at once from reading as a huge rate.
        const count = this.successes.length - this.successHead;
        if (count === 0)
            return 0;
        const oldest = this.successes[this.successHead] ?? now;
        const span = Math.min(this.o.windowMs, Math.max(now - oldest, this.o.doublingMs));
        return (count * 1000) / span;
    }
    /** Room for a few calls at once so that high rates are not capped by timer resolution. */
    capacity() {
        return Math.max(1, this.current * 0.02);
    }
    async pump() {
        this.pumping = true;
        try {
            while (this.queue.length > 0) {
                const now = this.clock.now();
                this.tokens = Math.min(this.capacity(), this.tokens + ((now - this.lastRefill) * this.current) / 1000);
                this.lastRefill = now;
                if (this.tokens >= 1) {
                    this.tokens -= 1;
                    this.queue.shift()?.();
                    continue;
                }
                // Whole milliseconds: timers have no finer grain, and a sub-ms wait could round to none.
                await this.clock.sleep(Math.max(1, Math.ceil(((1 - this.tokens) * 1000) / this.current)));
            }
        }
        finally {
            this.pumping = false;
        }
    }
}
function stripUndefined(o) {
    return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
}

// EXTERNAL MODULE: ./src/scope.ts
var scope = __webpack_require__(7311);
;// CONCATENATED MODULE: ./src/work-queue.ts
/**
 * Jobs as plain data, handled by a fixed number of workers; a job of an earlier lane always
 * goes before one of a later lane.
 *
 * Why not one promise per job: an account's audit has a job per user and per key, 12,500 at
 * 5,000 users. Started all at once, each is a suspended async function with its closures and
 * promises waiting for a slot — tens of megabytes of heap that hold nothing but a place in
 * line. Here a waiting job is the record it works on, and only `workers` functions are alive.
 */
class WorkQueue {
    handle;
    lanes;
    heads;
    active = 0;
    closed = false;
    failure = null;
    idle = [];
    finished;
    /**
     * @param workers how many jobs run at once (at least 1)
     * @param laneCount how many lanes; lane 0 first
     * @param handle runs one job; it may push more jobs. A job that throws stops the queue and
     *   `done()` rejects with its error: a lost job must not pass for a finished audit.
     */
    constructor(workers, laneCount, handle) {
        this.handle = handle;
        if (!Number.isInteger(workers) || workers < 1)
            throw new RangeError(`workers must be a whole number ≥ 1, got ${workers}`);
        this.lanes = Array.from({ length: laneCount }, () => []);
        this.heads = this.lanes.map(() => 0);
        this.finished = Promise.all(Array.from({ length: workers }, () => this.work())).then(() => {
            if (this.failure)
                throw this.failure.error;
        });
        // `done()` may be called late; until then a failure must not count as unhandled.
        this.finished.catch(() => undefined);
    }
    /** Queues a job in `lane`. */
    push(lane, job) {
        if (this.closed && this.active === 0)
            throw new Error('WorkQueue: push after the queue was closed and drained');
        this.lanes[lane].push(job);
        this.idle.shift()?.();
    }
    /** No more jobs from outside; jobs that are running may still push. */
    close() {
        this.closed = true;
        this.wakeAll();
    }
    /** Resolves once closed and every job has been handled; rejects with a job's error. */
    done() {
        return this.finished;
    }
    next() {
        for (let lane = 0; lane < this.lanes.length; lane++) {
            const queue = this.lanes[lane];
            if (this.heads[lane] < queue.length) {
                const job = queue[this.heads[lane]++];
                // Drop handled jobs now and then, so a long lane does not keep them all.
                if (this.heads[lane] >= 1024 && this.heads[lane] * 2 >= queue.length) {
                    queue.splice(0, this.heads[lane]);
                    this.heads[lane] = 0;
                }
                return job;
            }
        }
        return undefined;
    }
    async work() {
        for (;;) {
            if (this.failure)
                return;
            const job = this.next();
            if (job === undefined) {
                // Nothing queued: finished when no more can come, else wait for a push.
                if (this.closed && this.active === 0) {
                    this.wakeAll();
                    return;
                }
                await new Promise(resolve => this.idle.push(resolve));
                continue;
            }
            this.active++;
            try {
                await this.handle(job);
            }
            catch (error) {
                this.failure ??= { error };
                this.wakeAll();
            }
            finally {
                this.active--;
            }
            if (this.closed && this.active === 0)
                this.wakeAll();
        }
    }
    wakeAll() {
        for (const wake of this.idle.splice(0))
            wake();
    }
}

;// CONCATENATED MODULE: ./src/inventory.ts









/** The lanes of an account's work queue. */
const USERS = 0;
const KEYS = 1;
/** Words for an IAM operation in an error message. */
const WHAT = {
    ListUsers: () => 'Could not list IAM users',
    ListAccessKeys: user => `Could not list access keys of user '${user}'`,
    GetAccessKeyLastUsed: key => `Could not read when access key ${key} was last used`,
    GetAccountSummary: () => 'Could not read the account summary (root access keys)',
    ListUserTags: user => `Could not read the tags of user '${user}' (user-tags); the user is judged by the defaults`
};
/**
 * Reads every user, every access key and each key's last use from one account. It never
 * throws for a failed call: a failure is recorded in `errors`, the audit is marked incomplete,
 * and the run goes on with everything else.
 */
async function readInventory(iam, opts) {
    const pool = new Pool(opts.concurrency);
    const rate = opts.rate ?? new RateController();
    // Messages reach the log, the summary, the report and the failure line: no full key ids.
    const redact = (text) => (0,format/* redactKeyIds */.rO)(text, opts.revealKeyIds ?? false);
    const stats = { calls: 0, retries: 0, throttled: 0, failed: 0 };
    const errors = [];
    const keys = [];
    const unreadUsers = [];
    const attempts = opts.attempts ?? 12;
    let complete = true;
    let usersScanned = 0;
    let usersExcluded = 0;
    let usersDone = 0;
    const userTags = new Map();
    const call = (operation, send, first = false) => pool.run(() => withRetry(async () => {
        const sentAt = await rate.acquire();
        stats.calls++;
        try {
            const out = await send();
            rate.succeeded();
            return out;
        }
        catch (error) {
            if (isThrottling(error))
                rate.throttled(sentAt);
            else
                rate.succeeded();
            throw error;
        }
    }, {
        attempts,
        baseMs: opts.baseDelayMs ?? 100,
        capMs: opts.maxDelayMs ?? 20_000,
        sleep: opts.sleep,
        onRetry: ({ attempt, error, delayMs }) => {
            stats.retries++;
            if (isThrottling(error))
                stats.throttled++;
            opts.debug?.(redact(`${operation}: attempt ${attempt} of ${attempts} failed: ${errorMessage(error)}; retrying in ${delayMs} ms`));
        }
    }).catch((error) => {
        stats.failed++;
        if (isThrottling(error))
            stats.throttled++;
        throw error;
    }), first);
    const fail = (user, operation, subject, error) => {
        complete = false;
        const message = redact(`${WHAT[operation]?.(subject) ?? operation}: ${errorMessage(error)}`);
        errors.push({ user, operation, message });
        opts.log?.(message);
    };
    // The first pass runs beside ListUsers; each user waits for it before its first call.
    const firstPass = opts.credentialReport
        ? startFirstPass(iam, {
            ...opts.credentialReport,
            call: (operation, send) => call(operation, send, true),
            sleep: opts.sleep ?? realSleep,
            info: opts.info,
            warning: opts.warning
        })
        : null;
    const progress = () => opts.onProgress?.({ keysDone: keys.length, keysKnown: keysKnown, usersDone, stats });
    let keysKnown = 0;
    const readKey = async (user, meta) => {
        const accessKeyId = meta.AccessKeyId ?? '';
        const record = {
            user: user.UserName ?? '',
            userPath: user.Path ?? '/',
            accessKeyId,
            status: meta.Status === 'Inactive' ? 'Inactive' : 'Active',
            createDate: meta.CreateDate ?? new Date(0)
        };
        const plan = firstPass ? await firstPass.planKey(record.user, record) : null;
        if (plan?.source === 'credential-report') {
            keys.push({
                ...record,
                lastUsedDate: plan.lastUse.date,
                lastUsedService: plan.lastUse.service,
                lastUsedRegion: plan.lastUse.region,
                lastUsedSource: 'credential-report'
            });
            progress();
            return;
        }
        try {
            const out = await call('GetAccessKeyLastUsed', () => iam.send(new dist_cjs/* GetAccessKeyLastUsedCommand */.qRl({ AccessKeyId: accessKeyId })));
            const last = out.AccessKeyLastUsed;
            keys.push({
                ...record,
                lastUsedDate: last?.LastUsedDate ?? null,
                lastUsedService: na(last?.ServiceName),
                lastUsedRegion: na(last?.Region),
                lastUsedSource: 'api'
            });
        }
        catch (error) {
            fail(record.user, 'GetAccessKeyLastUsed', accessKeyId, error);
            keys.push({
                ...record,
                lastUsedDate: null,
                lastUsedService: null,
                lastUsedRegion: null,
                lastUsedUnknown: true,
                lastUsedSource: 'api'
            });
        }
        progress();
    };
    // Users' key listings go before keys' last use, as a first-come queue would order them,
    // so the number of keys is known early and progress percentages mean something.
    const work = new WorkQueue(opts.concurrency, 2, ({ user, meta }) => (meta ? readKey(user, meta) : readUser(user)));
    const readTags = async (userName) => {
        try {
            const tags = {};
            let marker;
            do {
                const page = await call('ListUserTags', () => iam.send(new dist_cjs/* ListUserTagsCommand */.K8S({ UserName: userName, Marker: marker })));
                for (const t of page.Tags ?? [])
                    if (t.Key !== undefined)
                        tags[t.Key] = t.Value ?? '';
                marker = page.IsTruncated ? page.Marker : undefined;
            } while (marker);
            userTags.set(userName, tags);
        }
        catch (error) {
            fail(userName, 'ListUserTags', userName, error);
        }
    };
    const readUser = async (user) => {
        const userName = user.UserName ?? '';
        const tagsRead = opts.userTags ? readTags(userName) : Promise.resolve();
        await Promise.all([readKeys(user, userName), tagsRead]);
    };
    const readKeys = async (user, userName) => {
        if (firstPass && (await firstPass.planUser(userName, user.CreateDate)) !== 'list-keys') {
            usersDone++;
            return;
        }
        let metas = [];
        try {
            let marker;
            do {
                const page = await call('ListAccessKeys', () => iam.send(new dist_cjs/* ListAccessKeysCommand */.Qxm({ UserName: userName, Marker: marker })));
                metas = metas.concat(page.AccessKeyMetadata ?? []);
                marker = page.IsTruncated ? page.Marker : undefined;
            } while (marker);
        }
        catch (error) {
            fail(userName, 'ListAccessKeys', userName, error);
            unreadUsers.push({ user: userName, userPath: user.Path ?? '/' });
            usersDone++;
            return;
        }
        keysKnown += metas.length;
        usersDone++;
        for (const meta of metas)
            work.push(KEYS, { user, meta });
    };
    const rootCheck = call('GetAccountSummary', () => iam.send(new dist_cjs/* GetAccountSummaryCommand */.zod({}))).then(out => (out.SummaryMap?.AccountAccessKeysPresent ?? 0) > 0, (error) => {
        fail(null, 'GetAccountSummary', '', error);
        return null;
    });
    // The alias only decorates the summary, and iam:ListAccountAliases is optional: a denial
    // is not an audit error.
    const alias = call('ListAccountAliases', () => iam.send(new dist_cjs/* ListAccountAliasesCommand */.xcp({}))).then(out => out.AccountAliases?.[0] ?? null, (error) => {
        opts.debug?.(`No account alias: ${errorMessage(error)}`);
        return null;
    });
    // Users are read page by page; each page's users start while the next page is fetched.
    try {
        let marker;
        do {
            const page = await call('ListUsers', () => iam.send(new dist_cjs/* ListUsersCommand */.A7W({ Marker: marker, MaxItems: 1000 })), true);
            for (const user of page.Users ?? []) {
                // Out of scope: no call is made for the user, and it is counted, not silently lost.
                if (opts.scope && !(0,scope/* inScope */.SB)(opts.scope, user.UserName ?? '', user.Path ?? '/')) {
                    usersExcluded++;
                    continue;
                }
                usersScanned++;
                work.push(USERS, { user });
            }
            marker = page.IsTruncated ? page.Marker : undefined;
        } while (marker);
    }
    catch (error) {
        fail(null, 'ListUsers', '', error);
    }
    finally {
        work.close();
    }
    await work.done();
    return {
        accountId: opts.accountId,
        accountAlias: await alias,
        usersScanned,
        keys,
        unreadUsers,
        rootAccessKeysPresent: await rootCheck,
        errors,
        complete,
        stats,
        usersExcluded,
        ...(opts.userTags ? { userTags } : {}),
        credentialReport: firstPass?.use ?? null
    };
}
/** IAM answers "N/A" for the service and region of a key that was never used. */
function na(value) {
    return value === undefined || value === '' || value === 'N/A' ? null : value;
}

;// CONCATENATED MODULE: ./src/json-file.ts

/**
 * The text of `JSON.stringify(value, null, 2)`, in pieces: arrays and objects down to `depth`
 * levels are walked here, anything deeper is stringified whole. A report of 7,500 keys is a
 * few megabytes of JSON; written in pieces, it never exists as one string (and the many
 * temporary strings that build it), which is where the action's memory used to peak.
 */
function* jsonChunks(value, depth = 4, indent = '') {
    const v = toJsonValue(value);
    if (depth === 0 || v === null || typeof v !== 'object') {
        // Nested lines of a value stringified whole get this level's indent, as JSON.stringify
        // would give them.
        yield (JSON.stringify(v, null, 2) ?? 'null').replace(/\n/g, `\n${indent}`);
        return;
    }
    const inner = `${indent}  `;
    if (Array.isArray(v)) {
        if (v.length === 0) {
            yield '[]';
            return;
        }
        yield '[\n';
        for (let i = 0; i < v.length; i++) {
            yield inner;
            // An array keeps its place for a value JSON has no word for: null.
            const item = v[i];
            yield* jsonChunks(isOmitted(toJsonValue(item)) ? null : item, depth - 1, inner);
            yield i < v.length - 1 ? ',\n' : '\n';
        }
        yield `${indent}]`;
        return;
    }
    // An object drops a property JSON has no word for.
    const entries = Object.entries(v).filter(([, item]) => !isOmitted(toJsonValue(item)));
    if (entries.length === 0) {
        yield '{}';
        return;
    }
    yield '{\n';
    for (let i = 0; i < entries.length; i++) {
        const [key, item] = entries[i];
        yield `${inner}${JSON.stringify(key)}: `;
        yield* jsonChunks(item, depth - 1, inner);
        yield i < entries.length - 1 ? ',\n' : '\n';
    }
    yield `${indent}}`;
}
/** What JSON.stringify would serialise in place of `value` (a Date's string, say). */
function toJsonValue(value) {
    const withToJson = value;
    return typeof withToJson?.toJSON === 'function' ? withToJson.toJSON() : value;
}
function isOmitted(value) {
    return value === undefined || typeof value === 'function' || typeof value === 'symbol';
}
/** The chunks joined into pieces of about `size` characters. */
function* pieces(chunks, size) {
    let pending = [];
    let length = 0;
    for (const chunk of chunks) {
        pending.push(chunk);
        length += chunk.length;
        if (length >= size) {
            yield pending.join('');
            pending = [];
            length = 0;
        }
    }
    if (pending.length > 0)
        yield pending.join('');
}
/**
 * Writes `value` to `path` as `JSON.stringify(value, null, 2)` plus a newline would, in
 * pieces of about 64 KiB (`writeFile` writes each piece whole, short writes included).
 */
async function writeJsonFile(path, value) {
    function* text() {
        yield* jsonChunks(value);
        yield '\n';
    }
    await (0,promises_.writeFile)(path, pieces(text(), 65_536));
}

;// CONCATENATED MODULE: ./src/progress.ts
/**
 * Returns an `onProgress` callback that logs a line about every 10 % of the keys, or every
 * 30 s when a throttled account crawls: keys done of known, calls a second, throttled so far,
 * and an estimate of the time left; nothing in the first 5 s. `keysKnown` grows while users are still being listed, so
 * the percentage is of what is known so far.
 */
function progressLogger(opts) {
    const now = opts.now ?? (() => Date.now());
    const everyMs = opts.everyMs ?? 30_000;
    const quietMs = opts.quietMs ?? 5_000;
    const started = now();
    let lastLine = started;
    let lastTenth = 0;
    return state => {
        const t = now();
        if (t - started < quietMs)
            return;
        const tenth = state.keysKnown === 0 ? 0 : Math.floor((state.keysDone * 10) / state.keysKnown);
        const due = t - lastLine >= everyMs;
        if (!due && (tenth <= lastTenth || state.keysDone === state.keysKnown))
            return;
        lastTenth = Math.max(lastTenth, tenth);
        lastLine = t;
        opts.log(progressLine(opts.accountId, state, (t - started) / 1000));
    };
}
/** One progress line; pure, for the logger and its tests. */
function progressLine(accountId, state, seconds) {
    const pct = state.keysKnown === 0 ? 0 : Math.floor((state.keysDone * 100) / state.keysKnown);
    const perSecond = seconds > 0 ? state.stats.calls / seconds : 0;
    const keysPerSecond = seconds > 0 ? state.keysDone / seconds : 0;
    const left = state.keysKnown - state.keysDone;
    const eta = keysPerSecond > 0 ? `ETA ${Math.ceil(left / keysPerSecond)} s` : 'ETA unknown';
    return (`Account ${accountId}: ${state.keysDone.toLocaleString('en-US')} of ${state.keysKnown.toLocaleString('en-US')} keys (${pct}%) · ` +
        `${state.usersDone.toLocaleString('en-US')} users · ${perSecond.toFixed(0)} calls/s · ${state.stats.throttled} throttled · ${eta}`);
}

;// CONCATENATED MODULE: ./src/model.ts
/** Plain data shared by the inventory, the judge and the renderers. */
const VERDICTS = [
    'ok',
    'warning',
    'violation',
    'inactive',
    'exempt',
    'error'
];

// EXTERNAL MODULE: ./src/exemptions.ts
var src_exemptions = __webpack_require__(6627);
;// CONCATENATED MODULE: ./src/report.ts




/** Counts rows by verdict; every verdict is present, zero or not. */
function countVerdicts(rows) {
    const totals = Object.fromEntries(VERDICTS.map(v => [v, 0]));
    for (const r of rows)
        totals[r.verdict]++;
    return totals;
}
/**
 * Builds the report from judged rows. `totals.keys` counts IAM users' access keys; the verdict
 * counts count rows, which also include the root-user row and one row per user whose keys
 * could not be listed (those rows have no key id).
 * Rows are sorted by user and key id, so two nightly reports diff cleanly. Key ids are shortened
 * like everywhere else unless `reveal-key-ids` is on: artifacts of a public repository are
 * public too.
 */
function buildReport(inventory, rows, policy, now, revealKeyIds, extra = {}) {
    const sorted = [...rows].sort((a, b) => a.user.localeCompare(b.user) || (a.accessKeyId ?? '').localeCompare(b.accessKeyId ?? ''));
    return {
        schemaVersion: 1,
        generatedAt: now.toISOString(),
        account: inventory.accountId,
        accountAlias: inventory.accountAlias,
        complete: inventory.complete,
        policy: { ...policy },
        totals: {
            users: inventory.usersScanned,
            keys: inventory.keys.length,
            excludedUsers: inventory.usersExcluded ?? 0,
            ...countVerdicts(rows)
        },
        keys: sorted.map(r => ({
            user: r.user,
            userPath: r.userPath,
            accessKeyId: r.accessKeyId === null ? null : (0,format/* shortKeyId */.JO)(r.accessKeyId, revealKeyIds),
            status: r.status,
            createDate: r.createDate?.toISOString() ?? null,
            lastUsedDate: r.lastUsedDate?.toISOString() ?? null,
            lastUsedService: r.lastUsedService,
            lastUsedRegion: r.lastUsedRegion,
            ageDays: r.ageDays,
            idleDays: r.idleDays,
            verdict: r.verdict,
            reasons: r.reasons,
            exemption: r.exemption ?? null,
            action: r.action ?? null,
            limits: r.limits ?? null,
            lastUsedSource: r.accessKeyId === null ? null : (r.lastUsedSource ?? 'api')
        })),
        errors: [...inventory.errors],
        stats: { ...inventory.stats },
        exemptions: exemptionStates(extra.exemptions ?? [], rows, now, revealKeyIds),
        notes: [...(extra.notes ?? [])],
        credentialReport: credentialReportOf(inventory)
    };
}
function credentialReportOf(inventory) {
    const use = inventory.credentialReport;
    if (!use)
        return null;
    return {
        generatedAt: use.generatedAt?.toISOString() ?? null,
        fallbackReason: use.fallbackReason,
        keysFromReport: use.keysFromReport,
        keysAskedLive: use.keysAskedLive,
        usersWithoutKeyInReport: use.usersNotListed,
        usersCreatedSinceReport: use.usersNotInReport
    };
}
/**
 * Each input exemption with its state at `now` and the number of keys it names, so one that
 * ran out, runs out soon, or names nothing any more is visible.
 */
function exemptionStates(exemptions, rows, now, revealKeyIds) {
    return exemptions.map(e => {
        const k = (0,judge/* keyExemption */.hx)(e.until, e.reason, 'input', e.entry, now);
        return {
            entry: e.entry,
            selector: (0,src_exemptions/* selectorText */.nM)(e.selector, revealKeyIds),
            until: e.until,
            reason: e.reason,
            state: k.expired ? 'expired' : k.daysLeft < src_exemptions/* EXPIRING_SOON_DAYS */.PN ? 'expiring' : 'active',
            daysLeft: k.daysLeft,
            keys: rows.filter(r => r.accessKeyId !== null && (0,src_exemptions/* exemptionMatches */.XR)(e, r)).length
        };
    });
}

;// CONCATENATED MODULE: ./src/user-tags.ts

/** The tags a user can carry to set its own policy (with `user-tags: true`). */
const TAG = {
    maxAgeDays: 'iam-access-key-gate:max-age-days',
    maxIdleDays: 'iam-access-key-gate:max-idle-days',
    exemptUntil: 'iam-access-key-gate:exempt-until',
    exemptReason: 'iam-access-key-gate:exempt-reason'
};
/**
 * Turns one user's tags into its own thresholds and exemption. Pure. A tag may only tighten a
 * threshold unless `allowRelaxation`; an exemption tag is itself a relaxation, so it also
 * needs `allowRelaxation` — otherwise anyone allowed to tag a user could exempt it. Any bad
 * value makes the whole user fall back to the defaults: half-applied settings would be a
 * policy nobody wrote.
 */
function userPolicyFromTags(user, tags, policy, allowRelaxation, now) {
    const problems = [];
    const ignored = [];
    const settings = {};
    const days = (tag, current, set) => {
        const raw = tags[tag];
        if (raw === undefined)
            return;
        const value = raw.trim();
        const n = /^\d+$/.test(value) ? Number(value) : NaN;
        if (!(n >= 1 && n <= 3650)) {
            problems.push(`User '${user}': tag ${tag} must be a whole number of days from 1 to 3650, got '${raw}'; the user is judged by the defaults`);
            return;
        }
        if (n > current && !allowRelaxation) {
            ignored.push(`User '${user}': tag ${tag}=${n} is ignored: it relaxes the input's ${current} days (allow-tag-relaxation is off)`);
            return;
        }
        if (n !== current)
            set(n);
    };
    days(TAG.maxAgeDays, policy.maxAgeDays, n => (settings.maxAgeDays = n));
    days(TAG.maxIdleDays, policy.maxIdleDays, n => (settings.maxIdleDays = n));
    const until = tags[TAG.exemptUntil]?.trim();
    const reason = tags[TAG.exemptReason]?.trim();
    if (until !== undefined || reason !== undefined) {
        const before = problems.length;
        if (until === undefined || until === '')
            problems.push(`User '${user}': tag ${TAG.exemptReason} needs ${TAG.exemptUntil} (YYYY-MM-DD)`);
        else {
            const problem = (0,src_exemptions/* untilProblem */.KL)(until, now);
            if (problem !== null)
                problems.push(`User '${user}': tag ${TAG.exemptUntil}: ${problem}`);
        }
        if (reason === undefined || reason === '')
            problems.push(`User '${user}': tag ${TAG.exemptUntil} needs ${TAG.exemptReason} (why the user is exempt)`);
        if (problems.length === before && until && reason) {
            if (allowRelaxation)
                settings.exemption = { until, reason };
            else
                ignored.push(`User '${user}': tags ${TAG.exemptUntil}/${TAG.exemptReason} are ignored: an exemption by tag needs allow-tag-relaxation: true`);
        }
    }
    if (problems.length > 0)
        return { policy: null, problems, ignored };
    return { policy: Object.keys(settings).length > 0 ? settings : null, problems, ignored };
}

;// CONCATENATED MODULE: ./src/account.ts














/**
 * Audits one account: reads the inventory (in scope, with user tags when asked), judges it,
 * deactivates keys when `deactivate` is on, and writes its report file. It does not throw for
 * failed AWS calls; those make the audit incomplete.
 */
async function auditAccount(config, accountId, credentials, now, log) {
    const started = Date.now();
    const iam = new dist_cjs/* IAMClient */.h8v({ region: config.awsRegion, credentials, maxAttempts: 1 });
    let inventory;
    let rows;
    const extraErrors = [];
    const notes = [];
    try {
        inventory = await readInventory(iam, {
            accountId,
            concurrency: config.maxConcurrency,
            revealKeyIds: config.revealKeyIds,
            log: message => log.warning(message),
            debug: message => log.debug(message),
            scope: config.scope,
            userTags: config.userTags,
            info: message => log.info(message),
            warning: message => log.warning(message),
            ...(config.lastUsedSource === 'credential-report'
                ? {
                    credentialReport: {
                        // A user tag may tighten max-idle-days down to 1 day, and the report's date can
                        // be hours stale: with tags on, only a use within a day settles a key.
                        policy: config.userTags
                            ? { ...config.policy, maxIdleDays: 1, warnIdleDays: null }
                            : config.policy,
                        now,
                        maxWaitMs: config.credentialReportWaitSeconds * 1000,
                        listEveryUser: config.policy.multipleActiveKeys === 'fail' ||
                            config.policy.maxInactiveDays !== null
                    }
                }
                : {}),
            onProgress: progressLogger({ accountId, log: line => log.info(line) })
        });
        log.info(`Read ${inventory.usersScanned} users and ${inventory.keys.length} access keys of account ${accountId} with ` +
            `${inventory.stats.calls} IAM calls (${inventory.stats.retries} retries, ${inventory.stats.throttled} throttled, ` +
            `${inventory.stats.failed} failed) in ${((Date.now() - started) / 1000).toFixed(1)} s` +
            (inventory.usersExcluded ? `; ${(0,format/* plural */.LS)(inventory.usersExcluded, 'user')} out of scope` : ''));
        const userPolicies = new Map();
        for (const [user, tags] of inventory.userTags ?? []) {
            const own = userPolicyFromTags(user, tags, config.policy, config.allowTagRelaxation, now);
            if (own.policy)
                userPolicies.set(user, own.policy);
            for (const message of own.problems) {
                // A bad tag is someone's intended policy that we could not apply: the audit of that
                // user is not what they asked for, so it counts as an error (fail closed).
                extraErrors.push({ user, operation: 'UserTag', message });
                log.warning(message);
            }
            for (const message of own.ignored) {
                notes.push(message);
                log.info(message);
            }
        }
        rows = (0,judge/* judge */.S4)(inventory, config.policy, now, { exemptions: config.exemptions, userPolicies });
        if (config.deactivate !== 'off') {
            // The run's one dry-run warning comes from main; this only says what it means here.
            if (config.dryRun)
                log.info(`dry-run: deactivate: ${config.deactivate} only lists the keys it would set Inactive; no key is changed`);
            if (!config.dryRun)
                (0,thread/* markCommitted */.sk)();
            const done = await applyDeactivation(iam, rows, {
                mode: config.deactivate,
                dryRun: config.dryRun,
                now,
                revealKeyIds: config.revealKeyIds,
                log: message => log.info(message),
                warn: message => log.warning(message)
            });
            rows = done.rows;
            extraErrors.push(...done.errors);
            inventory.stats.calls += done.calls;
        }
    }
    finally {
        iam.destroy();
    }
    if (extraErrors.length > 0)
        inventory = { ...inventory, errors: [...inventory.errors, ...extraErrors], complete: false };
    const report = buildReport(inventory, rows, config.policy, now, config.revealKeyIds, {
        exemptions: config.exemptions,
        notes
    });
    const reportPath = config.reportPath ?? defaultReportPath(accountId);
    let reportWriteError = null;
    try {
        await (0,promises_.mkdir)((0,external_node_path_.dirname)(reportPath), { recursive: true });
        await writeJsonFile(reportPath, report);
        log.info(`Report written to ${reportPath}`);
    }
    catch (error) {
        reportWriteError = `Could not write the report file '${reportPath}' (input report-path): ${describeFailure(error)}`;
    }
    return { accountId, inventory, rows, report, reportPath, reportWriteError };
}
function defaultReportPath(accountId) {
    return (0,external_node_path_.join)(process.env.RUNNER_TEMP || (0,external_node_os_.tmpdir)(), `iam-access-key-gate-${accountId}.json`);
}

;// CONCATENATED MODULE: ./src/config.ts



const DEACTIVATE_MODES = ['idle', 'age', 'idle-and-age', 'off'];
const MULTIPLE_ACTIVE_KEYS = ['warn', 'fail', 'off'];
/**
 * The defaults of `action.yml`, mirrored here because `node dist/index.js` run outside the
 * runner gets no defaults; a test fails when the two drift.
 */
const INPUT_DEFAULTS = {
    'role-to-assume': '',
    'aws-region': 'us-east-1',
    audience: 'sts.amazonaws.com',
    'role-session-name': 'iam-access-key-gate',
    'max-age-days': '90',
    'max-idle-days': '45',
    'warn-age-days': '',
    'warn-idle-days': '',
    'fail-on-violation': 'true',
    'fail-on-error': 'true',
    'report-path': '',
    'reveal-key-ids': 'false',
    exemptions: '',
    'user-tags': 'false',
    'allow-tag-relaxation': 'false',
    'include-paths': '',
    'exclude-users': '',
    'multiple-active-keys': 'warn',
    'max-inactive-days': '',
    deactivate: 'off',
    'create-issue': 'false',
    // action.yml defaults this to `${{ github.token }}`; outside a runner there is no token.
    'github-token': '',
    'issue-title': 'IAM access keys out of policy in account {account}',
    'issue-labels': 'iam-access-keys,security',
    'issue-assignees': '',
    'dry-run': 'false',
    'last-used-source': 'api',
    'credential-report-wait-seconds': '120',
    'max-concurrency': '64',
    accounts: '',
    'account-role-name': 'IamAccessKeyGate',
    organization: 'false',
    'organization-ous': ''
};
/** Thrown for bad input; its message lists every bad input, one per line. */
class InputError extends UserFacingError {
    problems;
    constructor(problems) {
        super(problems.length === 1
            ? problems[0]
            : `${problems.length} inputs are invalid:\n${problems.map(p => `- ${p}`).join('\n')}`);
        this.problems = problems;
        this.name = 'InputError';
    }
}
const TRUE = new Set(['true', 'True', 'TRUE']);
const FALSE = new Set(['false', 'False', 'FALSE']);
// Every partition IAM roles live in; an ARN from any of them is accepted as written.
const ROLE_ARN = /^arn:aws(?:-cn|-us-gov|-iso|-iso-b|-iso-e|-iso-f|-eusc)?:iam::\d{12}:role\/(?:[\x21-\x7e]+\/)?[\w+=,.@-]{1,64}$/;
// Two letters for most partitions; `eusc-de-east-1` (aws-eusc) has four.
const REGION = /^[a-z]{2,4}(?:-[a-z]+)+-\d{1,2}$/;
const SESSION_NAME = /^[\w+=,.@-]{2,64}$/;
const DAYS_MAX = 3650;
// GitHub logins: letters, digits and single inner hyphens, at most 39 characters.
const LOGIN = /^[A-Za-z\d](?:[A-Za-z\d]|-(?=[A-Za-z\d])){0,38}$/;
const LABEL_MAX = 50;
const ASSIGNEES_MAX = 10;
const TITLE_PLACEHOLDERS = new Set(['{account}', '{alias}']);
// Beyond 15 minutes a nightly job is better off asking every key live than waiting.
const WAIT_MAX = 900;
// Beyond this many sockets per account the client spends more on connections than it gains.
const MAX_CONCURRENCY = 256;
const ACCOUNT_ID = /^\d{12}$/;
const ROLE_NAME = /^(?:[\w+=,.@-]+\/)*[\w+=,.@-]{1,64}$/;
const OU_ID = /^(?:ou-[0-9a-z]{4,32}-[0-9a-z]{8,32}|r-[0-9a-z]{4,32})$/;
/** Quotes a value for an error message, so an empty or blank value is still visible. */
function quote(value) {
    return `'${value}'`;
}
/**
 * Reads every input, applies the defaults, and checks each one. All problems are reported
 * together, so a user fixes their workflow in one round. `now` is the run's clock: an
 * exemption may run at most a year past it.
 */
function parseConfig(getInput, now = new Date()) {
    const problems = [];
    const raw = (name) => {
        const value = getInput(name).trim();
        return value === '' ? INPUT_DEFAULTS[name] : value;
    };
    const days = (name, optional) => {
        const value = raw(name);
        if (value === '' && optional)
            return null;
        if (/^\d+$/.test(value)) {
            const n = Number(value);
            if (n >= 1 && n <= DAYS_MAX)
                return n;
        }
        problems.push(`${name} must be a whole number of days from 1 to ${DAYS_MAX}${optional ? ', or empty' : ''}, got ${quote(value)}`);
        return null;
    };
    const wholeNumber = (name, min, max) => {
        const value = raw(name);
        if (/^\d+$/.test(value) && Number(value) >= min && Number(value) <= max)
            return Number(value);
        problems.push(`${name} must be a whole number from ${min} to ${max}, got ${quote(value)}`);
        return null;
    };
    // One per line or comma separated, blanks ignored: YAML block scalars and one-liners both work.
    const listOf = (name) => raw(name)
        .split(/[\n,]/)
        .map(item => item.trim())
        .filter(item => item !== '');
    const bool = (name) => {
        const value = raw(name);
        if (TRUE.has(value))
            return true;
        if (FALSE.has(value))
            return false;
        problems.push(`${name} must be true or false (YAML 1.2 core schema: true | True | TRUE | false | False | FALSE), got ${quote(value)}`);
        return INPUT_DEFAULTS[name] === 'true';
    };
    const role = raw('role-to-assume');
    if (role !== '' && !ROLE_ARN.test(role)) {
        problems.push(`role-to-assume must be an IAM role ARN such as arn:aws:iam::123456789012:role/iam-access-key-gate (partition aws, aws-cn or aws-us-gov), got ${quote(role)}`);
    }
    const region = raw('aws-region');
    if (!REGION.test(region)) {
        problems.push(`aws-region must be an AWS region code such as us-east-1, cn-north-1 or us-gov-west-1, got ${quote(region)}`);
    }
    const audience = raw('audience');
    if (/\s/.test(audience))
        problems.push(`audience must not contain white space, got ${quote(audience)}`);
    const sessionName = raw('role-session-name');
    if (!SESSION_NAME.test(sessionName)) {
        problems.push(`role-session-name must be 2 to 64 characters of letters, digits and + = , . @ _ -, got ${quote(sessionName)}`);
    }
    const maxAgeDays = days('max-age-days', false);
    const maxIdleDays = days('max-idle-days', false);
    const warnAgeDays = days('warn-age-days', true);
    const warnIdleDays = days('warn-idle-days', true);
    if (warnAgeDays !== null && maxAgeDays !== null && warnAgeDays >= maxAgeDays) {
        problems.push(`warn-age-days must be less than max-age-days (${maxAgeDays}), got ${quote(String(warnAgeDays))}`);
    }
    if (warnIdleDays !== null && maxIdleDays !== null && warnIdleDays >= maxIdleDays) {
        problems.push(`warn-idle-days must be less than max-idle-days (${maxIdleDays}), got ${quote(String(warnIdleDays))}`);
    }
    const failOnViolation = bool('fail-on-violation');
    const failOnError = bool('fail-on-error');
    const revealKeyIds = bool('reveal-key-ids');
    const reportPath = raw('report-path');
    const lastUsedSource = raw('last-used-source');
    if (lastUsedSource !== 'api' && lastUsedSource !== 'credential-report') {
        problems.push(`last-used-source must be api (ask every key live) or credential-report (the IAM credential report first), got ${quote(lastUsedSource)}`);
    }
    const waitText = raw('credential-report-wait-seconds');
    const wait = /^\d+$/.test(waitText) ? Number(waitText) : NaN;
    if (!(wait >= 1 && wait <= WAIT_MAX)) {
        problems.push(`credential-report-wait-seconds must be a whole number of seconds from 1 to ${WAIT_MAX}, got ${quote(waitText)}`);
    }
    const exemptions = (0,src_exemptions/* parseExemptions */.mA)(getInput('exemptions'), now);
    problems.push(...exemptions.problems);
    const userTags = bool('user-tags');
    const allowTagRelaxation = bool('allow-tag-relaxation');
    const list = (name, pattern, what) => {
        const items = (0,scope/* splitList */.ry)(raw(name));
        for (const item of items)
            if (!pattern.test(item))
                problems.push(`${name}: ${quote(item)} is not ${what}`);
        return items;
    };
    const includePaths = list('include-paths', scope/* PATH_GLOB */.X1, 'an IAM path prefix (starts with /, such as /service/ or /team/*/; * and ? are wildcards)');
    const excludeUsers = list('exclude-users', scope/* USER_GLOB */.Dv, 'an IAM user name or glob (letters, digits, + = . @ _ - and the wildcards * ?)');
    const oneOf = (name, allowed) => {
        const value = raw(name);
        if (allowed.includes(value))
            return value;
        problems.push(`${name} must be one of ${allowed.join(', ')}, got ${quote(value)}`);
        return INPUT_DEFAULTS[name];
    };
    const multipleActiveKeys = oneOf('multiple-active-keys', MULTIPLE_ACTIVE_KEYS);
    const maxInactiveDays = days('max-inactive-days', true);
    const deactivate = oneOf('deactivate', DEACTIVATE_MODES);
    const dryRun = bool('dry-run');
    const createIssue = bool('create-issue');
    const githubToken = getInput('github-token').trim();
    if (createIssue && githubToken === '') {
        problems.push("github-token must be set when create-issue is true (the default is '${{ github.token }}', which needs `permissions: issues: write`), got ''");
    }
    const issueTitle = raw('issue-title');
    const unknown = (issueTitle.match(/\{[^{}]*\}/g) ?? []).filter(p => !TITLE_PLACEHOLDERS.has(p));
    if (unknown.length > 0) {
        problems.push(`issue-title may use the placeholders {account} and {alias} only, got ${quote(issueTitle)} (unknown: ${unknown.join(', ')})`);
    }
    else if (issueTitle.length > 256) {
        problems.push(`issue-title must be at most 256 characters, got ${quote(issueTitle)}`);
    }
    const issueLabels = commaList(raw('issue-labels'), (label, n, value) => label === ''
        ? `issue-labels must be a comma-separated list of label names, entry ${n} is empty, got ${quote(value)}`
        : label.length > LABEL_MAX
            ? `issue-labels entry ${n} must be at most ${LABEL_MAX} characters, got ${quote(label)}`
            : null);
    const issueAssignees = commaList(raw('issue-assignees'), (login, n, value) => login === ''
        ? `issue-assignees must be a comma-separated list of GitHub logins, entry ${n} is empty, got ${quote(value)}`
        : LOGIN.test(login.replace(/^@/, ''))
            ? null
            : `issue-assignees entry ${n} must be a GitHub login (letters, digits and single hyphens, at most 39 characters), got ${quote(login)}`).map(login => login.replace(/^@/, ''));
    if (issueAssignees.length > ASSIGNEES_MAX) {
        problems.push(`issue-assignees may name at most ${ASSIGNEES_MAX} people (GitHub's limit per issue), got ${issueAssignees.length}`);
    }
    const maxConcurrency = wholeNumber('max-concurrency', 1, MAX_CONCURRENCY);
    const accounts = listOf('accounts');
    for (const id of accounts) {
        if (!ACCOUNT_ID.test(id))
            problems.push(`accounts must be 12-digit AWS account ids, one per line or comma separated, got ${quote(id)}`);
    }
    const accountRoleName = raw('account-role-name');
    if (!ROLE_NAME.test(accountRoleName)) {
        problems.push(`account-role-name must be an IAM role name (1 to 64 letters, digits and + = , . @ _ -, optionally after a path such as ci/), got ${quote(accountRoleName)}`);
    }
    const organization = bool('organization');
    const organizationOus = listOf('organization-ous');
    for (const ou of organizationOus) {
        if (!OU_ID.test(ou))
            problems.push(`organization-ous must be organizational unit ids (ou-ab12-cdef3456) or root ids (r-ab12), got ${quote(ou)}`);
    }
    if (organization && accounts.length > 0)
        problems.push('accounts and organization: true cannot be used together: set one of them');
    if (organizationOus.length > 0 && !organization)
        problems.push(`organization-ous needs organization: true, got ${quote(organizationOus.join(','))}`);
    if (problems.length > 0)
        throw new InputError(problems);
    return Object.freeze({
        roleToAssume: role === '' ? null : role,
        awsRegion: region,
        audience,
        roleSessionName: sessionName,
        policy: Object.freeze({
            maxAgeDays: maxAgeDays,
            maxIdleDays: maxIdleDays,
            warnAgeDays,
            warnIdleDays,
            multipleActiveKeys,
            maxInactiveDays
        }),
        failOnViolation,
        failOnError,
        reportPath: reportPath === '' ? null : reportPath,
        revealKeyIds,
        exemptions: Object.freeze(exemptions.exemptions),
        userTags,
        allowTagRelaxation,
        scope: Object.freeze({ includePaths, excludeUsers }),
        deactivate,
        createIssue,
        githubToken: githubToken === '' ? null : githubToken,
        issueTitle,
        issueLabels: Object.freeze(issueLabels),
        issueAssignees: Object.freeze(issueAssignees),
        dryRun,
        lastUsedSource: lastUsedSource,
        credentialReportWaitSeconds: wait,
        maxConcurrency: maxConcurrency ?? 1,
        accounts: Object.freeze([...new Set(accounts)]),
        accountRoleName,
        organization,
        organizationOus: Object.freeze([...new Set(organizationOus)])
    });
    /** Splits a comma-separated input; `check` returns the problem with one entry, or null. */
    function commaList(value, check) {
        if (value === '')
            return [];
        const entries = value.split(',').map(e => e.trim());
        const bad = entries.map((e, i) => check(e, i + 1, value)).filter(p => p !== null);
        if (bad.length > 0)
            problems.push(bad[0]);
        return bad.length > 0 ? [] : entries;
    }
}

// EXTERNAL MODULE: ./node_modules/@aws-sdk/client-sts/dist-cjs/index.js
var client_sts_dist_cjs = __webpack_require__(1695);
;// CONCATENATED MODULE: ./src/credentials.ts



const ASSUME_ATTEMPTS = 4;
// Errors that another attempt cannot fix: the trust policy or the token is wrong.
const PERMANENT = new Set([
    'AccessDenied',
    'InvalidIdentityToken',
    'ExpiredTokenException',
    'ValidationError',
    'MalformedPolicyDocument',
    'RegionDisabledException'
]);
/** The message for a job without `permissions: id-token: write`. */
const ID_TOKEN_PERMISSION_MESSAGE = 'Could not get a GitHub OIDC token: ACTIONS_ID_TOKEN_REQUEST_URL is not set. ' +
    'Add `id-token: write` under `permissions:` of the job (or the workflow) that runs this action, ' +
    'for example:\n  permissions:\n    id-token: write\n    contents: read';
/**
 * Gets credentials for the audit: the workflow's OIDC token exchanged for a role session, or,
 * without `role-to-assume`, whatever the SDK's default chain finds. Then asks STS who we are.
 */
async function resolveIdentity(opts, deps) {
    const sts = new client_sts_dist_cjs/* STSClient */.iM({ region: opts.awsRegion, maxAttempts: 1 });
    let credentials;
    if (opts.roleToAssume !== null) {
        credentials = await assumeRoleWithOidc(sts, opts.roleToAssume, opts, deps);
    }
    const whoami = credentials
        ? new client_sts_dist_cjs/* STSClient */.iM({ region: opts.awsRegion, credentials, maxAttempts: 3 })
        : new client_sts_dist_cjs/* STSClient */.iM({ region: opts.awsRegion, maxAttempts: 3 });
    try {
        const out = await whoami.send(new client_sts_dist_cjs/* GetCallerIdentityCommand */.zI({}));
        if (!out.Account)
            throw new Error('STS GetCallerIdentity returned no account id');
        return { credentials, accountId: out.Account, arn: out.Arn ?? '' };
    }
    catch (error) {
        if (credentials)
            throw new UserFacingError(`Could not confirm the assumed role with STS GetCallerIdentity: ${errorMessage(error)}`);
        throw new UserFacingError(`No usable AWS credentials: ${errorMessage(error)}. Set role-to-assume to a role this workflow may assume ` +
            '(with `permissions: id-token: write`), or configure credentials in an earlier step, for example with aws-actions/configure-aws-credentials.');
    }
    finally {
        whoami.destroy();
        sts.destroy();
    }
}
async function assumeRoleWithOidc(sts, roleArn, opts, deps) {
    if (!deps.env.ACTIONS_ID_TOKEN_REQUEST_URL || !deps.env.ACTIONS_ID_TOKEN_REQUEST_TOKEN) {
        throw new UserFacingError(ID_TOKEN_PERMISSION_MESSAGE);
    }
    let token;
    try {
        token = await deps.getIDToken(opts.audience);
    }
    catch (error) {
        throw new UserFacingError(`Could not get a GitHub OIDC token for audience '${opts.audience}': ${errorMessage(error)}`);
    }
    deps.setSecret(token);
    const out = await withRetry(() => sts.send(new client_sts_dist_cjs/* AssumeRoleWithWebIdentityCommand */.WH({
        RoleArn: roleArn,
        RoleSessionName: opts.roleSessionName,
        WebIdentityToken: token,
        DurationSeconds: 3600
    })), {
        attempts: ASSUME_ATTEMPTS,
        baseMs: 500,
        capMs: 8000,
        sleep: deps.sleep,
        random: deps.random,
        retryable: error => !PERMANENT.has(awsErrorCode(error) ?? ''),
        onRetry: ({ attempt, attempts, error, delayMs }) => deps.log(`${retryLogLine('AssumeRoleWithWebIdentity', attempt, attempts, error)}; retrying in ${delayMs} ms`)
    }).catch((error) => {
        throw new UserFacingError(`Could not assume role ${roleArn} with the workflow's OIDC token: ${errorMessage(error)}. ` +
            "Check the role's trust policy: it must trust token.actions.githubusercontent.com with audience " +
            `'${opts.audience}' and a 'sub' condition that matches this repository and branch.`);
    });
    return maskedCredentials(out.Credentials, deps.setSecret, `AssumeRoleWithWebIdentity for ${roleArn}`);
}
/**
 * STS session credentials as the SDK takes them, each part masked in every later log line
 * before anything can print it. Throws when STS answered without them.
 */
function maskedCredentials(c, setSecret, what) {
    if (!c?.AccessKeyId || !c.SecretAccessKey || !c.SessionToken) {
        throw new UserFacingError(`STS ${what} returned no credentials`);
    }
    setSecret(c.AccessKeyId);
    setSecret(c.SecretAccessKey);
    setSecret(c.SessionToken);
    return {
        accessKeyId: c.AccessKeyId,
        secretAccessKey: c.SecretAccessKey,
        sessionToken: c.SessionToken,
        expiration: c.Expiration
    };
}

;// CONCATENATED MODULE: ./src/summary.ts



/** GitHub rejects a step summary over 1 MiB; we stay well below, leaving room for a footer. */
const SUMMARY_LIMIT_BYTES = (/* unused pure expression or super */ null && (1024 * 1024));
const SUMMARY_BUDGET_BYTES = 1_000_000;
/** The summary's word on `deactivate`, or null when it is off. */
function deactivationNote(config) {
    if (config.deactivate === 'off')
        return null;
    return `${config.deactivate}${config.dryRun ? ' (dry-run: nothing changed)' : ''}`;
}
/** The verdict of a run in one line, for the heading, the log and the failure message. */
function headline(report) {
    const v = report.totals.violation;
    const keys = (0,format/* plural */.LS)(report.totals.keys, 'access key');
    if (v > 0 && !report.complete)
        return {
            icon: '❌',
            text: `${(0,format/* plural */.LS)(v, 'key')} break${v === 1 ? 's' : ''} policy, and the audit is incomplete`
        };
    if (v > 0)
        return { icon: '❌', text: `${(0,format/* plural */.LS)(v, 'key')} break${v === 1 ? 's' : ''} policy` };
    if (!report.complete)
        return {
            icon: '⚠️',
            text: `Audit incomplete: ${(0,format/* plural */.LS)(report.errors.length, 'read error')}, no violation among what was read`
        };
    return { icon: '✅', text: `All ${keys} within policy` };
}
/** A reason in words, with the numbers that prove it; `stable` leaves out counts that grow daily. */
function reasonText(reason, row, policy, stable = false) {
    const warn = row.verdict === 'warning';
    const tag = !warn && row.limits ? ' (user tag)' : '';
    switch (reason) {
        case 'age':
            return `older than ${warn ? policy.warnAgeDays : (row.limits?.maxAgeDays ?? policy.maxAgeDays)} days${tag}`;
        case 'idle': {
            const limit = warn ? policy.warnIdleDays : (row.limits?.maxIdleDays ?? policy.maxIdleDays);
            if (row.lastUsedDate !== null)
                return `unused for over ${limit} days${tag}`;
            // `stable` words do not change from one night to the next (the tracking issue's body).
            return stable
                ? `never used in over ${limit} days${tag}`
                : `never used in ${row.idleDays} days`;
        }
        case 'multiple-active-keys':
            return 'the user has more than one active key: keep one';
        case 'inactive-age':
            return `inactive and older than ${policy.maxInactiveDays} days: delete it`;
        case 'root-key':
            return 'the root user has access keys: delete them';
        case 'unreadable':
            return row.accessKeyId === null
                ? 'its access keys could not be listed'
                : 'its last use could not be read';
    }
}
function lastUsedCell(row, now) {
    if (row.accessKeyId === null)
        return '—';
    if (row.idleDays === null && row.lastUsedDate === null)
        return 'unknown';
    if (row.lastUsedDate === null)
        return 'never';
    const source = row.lastUsedSource === 'credential-report' ? ' <sub>credential report</sub>' : '';
    return `${(0,format/* isoDate */._$)(row.lastUsedDate)} (${(0,format/* daysAgo */.HM)(row.lastUsedDate, now)})${source}`;
}
/**
 * Where the last-used dates came from, when the credential report was asked for; and why keys
 * created since the report may be missing from the tables without changing the verdict.
 */
function credentialReportLine(report) {
    const cr = report.credentialReport;
    if (!cr)
        return '';
    if (cr.generatedAt === null)
        return `Last use: asked live (GetAccessKeyLastUsed) for every key — the credential report could not be used: ${(0,format/* escapeCell */.kq)(cr.fallbackReason ?? 'unknown reason')}.\n\n`;
    const generated = cr.generatedAt.replace('T', ' ').replace(/\.\d{3}Z$/, ' UTC');
    const skipped = cr.usersWithoutKeyInReport + cr.usersCreatedSinceReport;
    return (`Last use: from the IAM credential report generated ${generated} for ${(0,format/* plural */.LS)(cr.keysFromReport, 'key')} it shows used within the idle thresholds ` +
        `(a key's last use can only be more recent than the report says); asked live (GetAccessKeyLastUsed) for ${(0,format/* plural */.LS)(cr.keysAskedLive, 'key')}. ` +
        `Ages always come from ListAccessKeys. ` +
        (skipped > 0
            ? `The keys of ${(0,format/* plural */.LS)(skipped, 'user')} were not listed (${cr.usersWithoutKeyInReport} without a key in the report, ${cr.usersCreatedSinceReport} created since): ` +
                `a key created after the report was generated may be missing from this summary, but it is younger than the report, so it is neither older than ` +
                `${report.policy.maxAgeDays} days nor unused for over ${report.policy.maxIdleDays} days and cannot break policy.` +
                (cr.usersWithoutKeyInReport > 0
                    ? ` So may an Inactive key that was never used, which the report shows as no key: it cannot be used while it stays inactive.`
                    : '') +
                `\n\n`
            : `Keys created after the report was generated would be younger than the report: they cannot break policy.\n\n`));
}
const HEADER = '| User | Key | Status | Age | Last used | Service | Region | Why |\n|---|---|---|--:|---|---|---|---|\n';
function rowLine(row, input) {
    const path = row.userPath && row.userPath !== '/' ? ` <sub>${(0,format/* escapeCell */.kq)(row.userPath)}</sub>` : '';
    const key = row.accessKeyId === null
        ? '—'
        : `<code>${(0,format/* escapeCell */.kq)((0,format/* shortKeyId */.JO)(row.accessKeyId, input.revealKeyIds))}</code>`;
    const age = row.ageDays === null ? '—' : (0,format/* plural */.LS)(row.ageDays, 'day');
    const why = whyCell(row, input.policy);
    return `| ${(0,format/* escapeCell */.kq)(row.user)}${path} | ${key} | ${row.status ?? '—'} | ${age} | ${lastUsedCell(row, input.now)} | ${(0,format/* escapeCell */.kq)(row.lastUsedService ?? '—')} | ${(0,format/* escapeCell */.kq)(row.lastUsedRegion ?? '—')} | ${why} |\n`;
}
/**
 * The "Why" cell of a row, Markdown-escaped: its reasons in words, then its exemption (or the
 * expired one) and what this run did to it. The tracking issue can show the same cell.
 */
function whyCell(row, policy) {
    return [
        row.reasons.map(r => (0,format/* escapeCell */.kq)(reasonText(r, row, policy))).join('; ') ||
            (row.verdict === 'exempt' ? '' : row.verdict),
        exemptionNote(row),
        row.action ? ACTION_TEXT[row.action] : ''
    ]
        .filter(Boolean)
        .join(' · ');
}
const ACTION_TEXT = {
    deactivated: '**deactivated by this run**',
    'would-deactivate': 'would be deactivated (dry-run)',
    'deactivation-failed': '**deactivation failed**',
    'spared-recent-use': 'not deactivated: used within the last 24 hours',
    'spared-one-per-user': 'not deactivated: another key of this user is, one a run'
};
/** `exempt until 2027-01-31 (input): SEC-123 — 5 days left`, or the expired form. */
function exemptionNote(row) {
    const e = row.exemption;
    if (!e)
        return '';
    const source = e.source === 'tag' ? 'user tag' : `exemptions[${e.entry}]`;
    if (e.expired)
        return `exemption expired ${e.until} (${source}: ${(0,format/* escapeCell */.kq)(e.reason)}) no longer applies`;
    const soon = e.daysLeft < src_exemptions/* EXPIRING_SOON_DAYS */.PN ? ` — ⏳ runs out in ${(0,format/* plural */.LS)(e.daysLeft, 'day')}` : '';
    return `${row.verdict === 'exempt' ? 'exempt' : 'exemption'} until ${e.until} (${source}): ${(0,format/* escapeCell */.kq)(e.reason)}${soon}`;
}
/**
 * Renders the job summary of one account. The verdict comes first, then the keys to fix,
 * worst first, then warnings, errors, and every other key folded away. When the tables would
 * pass the byte budget, they are cut with a line that points to the report file.
 */
function renderSummary(input) {
    const { report, policy } = input;
    const budget = input.budgetBytes ?? SUMMARY_BUDGET_BYTES;
    const h = headline(report);
    const alias = report.accountAlias ? ` (${(0,format/* escapeCell */.kq)(report.accountAlias)})` : '';
    const t = report.totals;
    const parts = [];
    parts.push(`## ${h.icon} IAM access keys: ${h.text} — account ${report.account}${alias}\n\n`);
    parts.push(`**${(0,format/* plural */.LS)(t.keys, 'key')}** of **${(0,format/* plural */.LS)(t.users, 'user')}**: ${t.violation} violation${t.violation === 1 ? '' : 's'} · ` +
        `${t.warning} warning${t.warning === 1 ? '' : 's'} · ${t.ok} ok · ${t.inactive} inactive · ${t.exempt} exempt · ` +
        `${t.error} error${t.error === 1 ? '' : 's'}\n\n`);
    const warnPolicy = [
        policy.warnAgeDays !== null ? `warn after ${policy.warnAgeDays} days` : '',
        policy.warnIdleDays !== null ? `warn when unused for over ${policy.warnIdleDays} days` : ''
    ].filter(Boolean);
    parts.push(`Policy: an active key breaks it when older than **${policy.maxAgeDays} days** or unused for over ` +
        `**${policy.maxIdleDays} days** (a never-used key counts from its creation)${warnPolicy.length ? `; ${warnPolicy.join(', ')}` : ''}.\n\n`);
    parts.push(policyNotes(report, input.rows, input.deactivation ?? null));
    parts.push(credentialReportLine(report));
    const footer = `\nFull report (every key): \`${(0,format/* escapeCell */.kq)(input.reportPath)}\` · ${report.stats.calls} IAM calls, ` +
        `${report.stats.retries} retries (${report.stats.throttled} throttled) · ${input.seconds.toFixed(1)} s\n`;
    let used = byteLength(parts.join('')) + byteLength(footer) + 600;
    // Adds a table, row by row, for as long as the budget lasts.
    const table = (title, rows, folded) => {
        if (rows.length === 0)
            return;
        const open = folded
            ? `<details><summary>${title} (${rows.length})</summary>\n\n${HEADER}`
            : `### ${title} (${rows.length})\n\n${HEADER}`;
        const close = folded ? '\n</details>\n\n' : '\n';
        let text = open;
        used += byteLength(open) + byteLength(close) + 200;
        let shown = 0;
        for (const row of rows) {
            const line = rowLine(row, input);
            const bytes = byteLength(line);
            if (used + bytes > budget)
                break;
            text += line;
            used += bytes;
            shown++;
        }
        if (shown < rows.length) {
            text += `\n_…and ${rows.length - shown} more not shown here (the summary is limited to 1 MiB): see the report file._\n`;
        }
        parts.push(text + close);
    };
    const by = (verdict) => (0,judge/* worstFirst */.md)(input.rows.filter(r => r.verdict === verdict), policy);
    table('Violations', by('violation'), false);
    table('Warnings', by('warning'), false);
    table('Deactivation', input.rows.filter(r => r.action), false);
    table('Exempt keys', by('exempt'), false);
    if (report.errors.length > 0) {
        let text = `### Could not read (${report.errors.length}) — the audit is incomplete\n\n`;
        used += byteLength(text);
        let shown = 0;
        for (const e of report.errors) {
            const line = `- ${(0,format/* escapeCell */.kq)(e.message)}\n`;
            if (used + byteLength(line) > budget)
                break;
            text += line;
            used += byteLength(line);
            shown++;
        }
        if (shown < report.errors.length)
            text += `- …and ${report.errors.length - shown} more: see the report file.\n`;
        parts.push(text + '\n');
    }
    table('Keys that could not be judged', by('error'), false);
    const rest = input.rows.filter(r => r.verdict === 'ok' || r.verdict === 'inactive');
    table('All other keys', [...rest].sort((a, b) => a.user.localeCompare(b.user) || (a.accessKeyId ?? '').localeCompare(b.accessKeyId ?? '')), true);
    parts.push(footer);
    return parts.join('');
}
/** Ignored-tag notes shown in the summary at most; the report has them all. */
const NOTE_LIMIT = 20;
/**
 * The lines about scope, exemptions and ignored tags under the policy line: what was left out
 * of the audit and which exceptions run out soon or already did, so nothing is hidden.
 */
function policyNotes(report, rows, deactivation = null) {
    const lines = [];
    const p = report.policy;
    const rules = [
        p.multipleActiveKeys !== 'off'
            ? `more than one active key per user is a ${p.multipleActiveKeys === 'fail' ? 'violation' : 'warning'}`
            : '',
        p.maxInactiveDays !== null
            ? `an inactive key older than ${p.maxInactiveDays} days is a warning`
            : '',
        deactivation ? `deactivate: **${deactivation}**` : ''
    ].filter(Boolean);
    if (rules.length > 0)
        lines.push(`Also: ${rules.join('; ')}.`);
    if (report.totals.excludedUsers > 0)
        lines.push(`**${(0,format/* plural */.LS)(report.totals.excludedUsers, 'user')} excluded** by include-paths / exclude-users (not audited).`);
    const soon = report.exemptions.filter(e => e.state === 'expiring');
    const expired = report.exemptions.filter(e => e.state === 'expired');
    for (const e of soon)
        lines.push(`⏳ Exemption exemptions[${e.entry}] (${(0,format/* escapeCell */.kq)(e.selector)}: ${(0,format/* escapeCell */.kq)(e.reason)}) runs out in ${(0,format/* plural */.LS)(e.daysLeft, 'day')} (until ${e.until}).`);
    for (const e of expired)
        lines.push(`⌛ Exemption exemptions[${e.entry}] (${(0,format/* escapeCell */.kq)(e.selector)}: ${(0,format/* escapeCell */.kq)(e.reason)}) **expired** after ${e.until} and no longer applies.`);
    const tagSoon = new Map();
    for (const r of rows)
        if (r.exemption?.source === 'tag' &&
            (r.exemption.expired || r.exemption.daysLeft < src_exemptions/* EXPIRING_SOON_DAYS */.PN))
            tagSoon.set(r.user, r);
    for (const [user, r] of tagSoon) {
        const e = r.exemption;
        lines.push(e.expired
            ? `⌛ The tag exemption of user ${(0,format/* escapeCell */.kq)(user)} (${(0,format/* escapeCell */.kq)(e.reason)}) **expired** after ${e.until} and no longer applies.`
            : `⏳ The tag exemption of user ${(0,format/* escapeCell */.kq)(user)} (${(0,format/* escapeCell */.kq)(e.reason)}) runs out in ${(0,format/* plural */.LS)(e.daysLeft, 'day')} (until ${e.until}).`);
    }
    for (const note of report.notes.slice(0, NOTE_LIMIT))
        lines.push(`ℹ️ ${(0,format/* escapeCell */.kq)(note)}`);
    if (report.notes.length > NOTE_LIMIT)
        lines.push(`ℹ️ …and ${report.notes.length - NOTE_LIMIT} more notes: see the report file.`);
    return lines.length > 0 ? lines.map(l => `${l}\n`).join('\n') + '\n' : '';
}
function byteLength(text) {
    return Buffer.byteLength(text, 'utf8');
}
/** What goes below a summary already written when the step then stopped part-way. */
function renderLateFailure(message) {
    return `\n---\n\n❌ **The step stopped after this summary was written:** ${(0,format/* escapeHtml */.ZD)(message)}\n`;
}
/** The summary of a run that could not start the audit (bad input, no credentials). */
function renderStartFailure(message, heading = 'the audit could not run') {
    return `## ❌ IAM access keys: ${heading}\n\n<pre>${(0,format/* escapeHtml */.ZD)(message)}</pre>\n`;
}

;// CONCATENATED MODULE: ./src/gate.ts



/** GitHub shows at most this many error annotations of one step. */
const ANNOTATION_LIMIT = 10;
/** Why the step fails, in one line; null when it passes. */
function failureMessage(report, rows, policy, opts) {
    const parts = [];
    if (opts.failOnViolation) {
        const violating = rows.filter(r => r.verdict === 'violation');
        const keys = violating.filter(r => r.accessKeyId !== null);
        if (keys.length > 0) {
            const old = keys.filter(r => r.reasons.includes('age'));
            const idle = keys.filter(r => r.reasons.includes('idle'));
            // Under `multiple-active-keys: warn` the reason rides along on a key that broke policy
            // for another reason; only under `fail` is it a cause of failure.
            const many = policy.multipleActiveKeys === 'fail'
                ? keys.filter(r => r.reasons.includes('multiple-active-keys')).length
                : 0;
            // With per-user tag thresholds one number would be wrong for some keys.
            const ownAge = old.some(r => r.limits) ? " or its user's tag limit" : '';
            const ownIdle = idle.some(r => r.limits) ? " or its user's tag limit" : '';
            const why = [
                old.length > 0 ? `${old.length} older than ${policy.maxAgeDays} days${ownAge}` : '',
                idle.length > 0
                    ? `${idle.length} unused for over ${policy.maxIdleDays} days${ownIdle}`
                    : '',
                many > 0 ? `${many} of users with more than one active key` : ''
            ].filter(Boolean);
            parts.push(`${keys.length} of ${(0,format/* plural */.LS)(report.totals.keys, 'access key')} break${keys.length === 1 ? 's' : ''} policy (${why.join(', ')})`);
        }
        if (violating.some(r => r.reasons.includes('root-key')))
            parts.push('the root user has access keys');
    }
    if (opts.failOnError && !report.complete) {
        const first = report.errors[0]?.message ?? 'unknown error';
        parts.push(`the audit is incomplete: ${(0,format/* plural */.LS)(report.errors.length, 'call')} failed (first: ${first}); see the report's errors`);
    }
    if (parts.length === 0)
        return null;
    const text = parts.join('; ');
    return text[0].toUpperCase() + text.slice(1);
}
/** One annotation per violating key, worst first; the last one says how many were left out. */
function violationAnnotations(rows, policy, revealKeyIds) {
    const violating = (0,judge/* worstFirst */.md)(rows.filter(r => r.verdict === 'violation'), policy);
    const shown = violating.slice(0, ANNOTATION_LIMIT);
    return shown.map((r, i) => {
        const key = r.accessKeyId === null ? '' : ` ${(0,format/* shortKeyId */.JO)(r.accessKeyId, revealKeyIds)}`;
        const age = r.ageDays === null ? '' : ` (age ${r.ageDays} days, idle ${r.idleDays ?? '?'} days)`;
        const more = i === shown.length - 1 && violating.length > shown.length
            ? ` — and ${violating.length - shown.length} more violating keys: see the job summary`
            : '';
        return `${r.user}${key}: ${r.reasons.map(x => reasonText(x, r, policy)).join('; ')}${age}${more}`;
    });
}

;// CONCATENATED MODULE: ./src/issue-body.ts



/**
 * The tracking issue's text, PURE: no I/O, no clock. The body is written so that it only
 * changes when the problems change: it names dates (created, last used) rather than day
 * counts, so a nightly run over the same keys renders the same body and makes no write.
 */
/** GitHub rejects an issue body over 65,536 characters. */
const ISSUE_BODY_LIMIT = 65_536;
/** What we fill at most, leaving room for GitHub counting a character differently than we do. */
const ISSUE_BODY_BUDGET = 65_000;
/** At most this many keys are named in one "new keys" comment. */
const COMMENT_KEY_LIMIT = 20;
/** The line that changes every run; it is left out when bodies are compared. */
const RUN_LINE_START = '<sub>Last checked ';
/** The hidden marker that finds an account's issue again. */
function issueMarker(accountId) {
    return `<!-- iam-access-key-gate:account=${accountId} -->`;
}
/** True when a body carries the account's marker (exactly: account 1 is not account 12). */
function hasMarker(body, accountId) {
    return (body ?? '').includes(issueMarker(accountId));
}
/**
 * Text as an inline code span. GitHub neither links `@handle` mentions nor `#123` references
 * inside code, and Markdown does not apply there, so this is how AWS data enters an issue.
 * A fence longer than any backtick run in the text keeps the span closed.
 */
function codeSpan(text) {
    const flat = text.replace(/\r?\n/g, ' ');
    const longest = Math.max(0, ...(flat.match(/`+/g) ?? []).map(run => run.length));
    const fence = '`'.repeat(longest + 1);
    const pad = flat.startsWith('`') || flat.endsWith('`') || flat === '' ? ' ' : '';
    return `${fence}${pad}${flat}${pad}${fence}`;
}
/** The issue title from the `issue-title` template. */
function renderTitle(template, accountId, alias) {
    return template.replace(/\{account\}/g, accountId).replace(/\{alias\}/g, alias ?? accountId);
}
/** How a key line is recognised across runs: its user and its key id as the body shows it. */
function keyLineId(row, revealKeyIds) {
    return row.accessKeyId === null
        ? row.user
        : `${row.user} ${(0,format/* shortKeyId */.JO)(row.accessKeyId, revealKeyIds)}`;
}
// A key line as renderKeyLine writes it. IAM user names and key ids hold no backticks, so
// single-backtick spans are exact.
const KEY_LINE = /^- \[([ xX])\] `([^`]+)`(?: `([^`]+)`)?/;
/** The ids of the key lines of a body this action wrote, in order. */
function listedKeys(body) {
    return lines(body)
        .map(line => KEY_LINE.exec(line))
        .filter(m => m !== null)
        .map(m => (m[3] ? `${m[2]} ${m[3]}` : m[2]));
}
/** The ids of the key lines someone ticked. */
function checkedKeys(body) {
    const ticked = new Set();
    for (const line of lines(body)) {
        const m = KEY_LINE.exec(line);
        if (m && m[1] !== ' ')
            ticked.add(m[3] ? `${m[2]} ${m[3]}` : m[2]);
    }
    return ticked;
}
const FOLLOWS = /^This follows #(\d+),/m;
/** The closed issue a body says it follows, so an update keeps that link. */
function previousIssueOf(body) {
    const m = FOLLOWS.exec(normalize(body ?? ''));
    return m ? Number(m[1]) : null;
}
/**
 * A body reduced to what matters for "has anything changed": line endings as GitHub may
 * store them, the run line (link and time) dropped, and ticks ignored, since a person
 * ticking a key off is not a change the action should answer with a rewrite.
 */
function comparableBody(body) {
    return lines(body)
        .filter(line => !line.startsWith(RUN_LINE_START))
        .map(line => line.replace(/^- \[[xX]\] /, '- [ ] ').trimEnd())
        .join('\n')
        .trim();
}
/** True when writing `next` over `current` would change nothing a reader cares about. */
function sameContent(current, next) {
    return comparableBody(current) === comparableBody(next);
}
function normalize(text) {
    return text.replace(/\r\n?/g, '\n');
}
function lines(body) {
    return normalize(body ?? '').split('\n');
}
/** `[workflow run 123](url)`, or words for a run outside GitHub Actions. */
function runLink(run) {
    if (run.url === null)
        return 'a run outside GitHub Actions';
    return `[workflow run${run.id ? ` ${run.id}` : ''}](${run.url})`;
}
function reasonWords(reason, row, policy) {
    // The remedy column says what to do about root keys; the summary's words would repeat it.
    return reason === 'root-key'
        ? 'the root user has access keys'
        : reasonText(reason, row, policy, true);
}
/** What to do about a violating key. */
function remedy(row) {
    if (row.reasons.includes('root-key'))
        return '**delete them** (root keys are never needed)';
    if (row.reasons.includes('idle'))
        return '**deactivate it**, then delete it';
    return '**rotate it**: create a new key, move its users over, then deactivate and delete this one';
}
/** Created and last-used as dates: a key in use shows no date, since that date moves daily. */
function keyFacts(row) {
    if (row.accessKeyId === null)
        return '';
    const created = row.createDate
        ? `created ${(0,format/* isoDate */._$)(row.createDate)}`
        : 'created on an unknown date';
    const used = row.lastUsedDate === null
        ? row.idleDays === null
            ? 'last use unknown'
            : 'never used'
        : row.reasons.includes('idle')
            ? `last used ${(0,format/* isoDate */._$)(row.lastUsedDate)}${row.lastUsedService ? ` by ${codeSpan(row.lastUsedService)}` : ''}`
            : 'in use';
    return ` — ${created}, ${used}`;
}
function who(row, revealKeyIds) {
    const key = row.accessKeyId === null ? '' : ` ${codeSpan((0,format/* shortKeyId */.JO)(row.accessKeyId, revealKeyIds))}`;
    return `${codeSpan(row.user)}${key}`;
}
function keyLine(row, input) {
    const ticked = input.checked?.has(keyLineId(row, input.revealKeyIds)) ? 'x' : ' ';
    const why = row.reasons.map(r => reasonWords(r, row, input.policy)).join(' and ');
    return `- [${ticked}] ${who(row, input.revealKeyIds)}${keyFacts(row)} · ${why} → ${remedy(row)}\n`;
}
function warningLine(row, input) {
    const why = row.reasons.map(r => reasonWords(r, row, input.policy)).join(' and ');
    return `- ${who(row, input.revealKeyIds)}${keyFacts(row)} · ${why}\n`;
}
/** Words for the policy in force, shared by the body and the README's example. */
function policyLine(policy) {
    const warn = [
        policy.warnAgeDays !== null ? `warns after ${policy.warnAgeDays} days` : '',
        policy.warnIdleDays !== null ? `warns when unused for over ${policy.warnIdleDays} days` : ''
    ].filter(Boolean);
    return (`**Policy:** an active key breaks it when older than **${policy.maxAgeDays} days** or unused for over ` +
        `**${policy.maxIdleDays} days** (a never-used key counts from its creation)${warn.length ? `; it ${warn.join(' and ')}` : ''}.`);
}
/**
 * Renders the body of an account's tracking issue: the verdict, a task list of the keys to
 * fix (worst first), warnings folded below, the policy, the run, and the marker. Lists are
 * cut with "and N more" so the body stays within GitHub's limit.
 */
function renderIssueBody(input) {
    const { report } = input;
    const budget = input.budget ?? ISSUE_BODY_BUDGET;
    const h = headline(report);
    const alias = report.accountAlias ? ` (${codeSpan(report.accountAlias)})` : '';
    const head = `## ${h.icon} IAM access keys: ${h.text} — account ${report.account}${alias}\n\n` +
        `${policyLine(input.policy)}\n\n`;
    const tail = [];
    if (!report.complete) {
        tail.push(`> [!WARNING]\n> The audit is incomplete: ${(0,format/* plural */.LS)(report.errors.length, 'call')} failed, so keys it could not read may break policy too. See the run's summary.\n\n`);
    }
    if (input.previous !== null) {
        tail.push(`This follows #${input.previous}, closed when the account was last within policy.\n\n`);
    }
    tail.push(`${RUN_LINE_START}${input.run.at.toISOString().slice(0, 16).replace('T', ' ')} UTC by ${runLink(input.run)} of IAM Access Key Gate.</sub>\n` +
        `${issueMarker(report.account)}\n`);
    const tailText = tail.join('');
    let used = head.length + tailText.length;
    const more = (n) => `- …and ${n} more — see the run's summary\n`;
    const list = (rows, line, open, close) => {
        if (rows.length === 0)
            return '';
        let text = open;
        used += open.length + close.length + more(rows.length).length;
        let shown = 0;
        for (const row of rows) {
            const next = line(row);
            if (used + next.length > budget)
                break;
            text += next;
            used += next.length;
            shown++;
        }
        if (shown < rows.length)
            text += more(rows.length - shown);
        return text + close;
    };
    const violations = (0,judge/* worstFirst */.md)(input.rows.filter(r => r.verdict === 'violation'), input.policy);
    const warnings = (0,judge/* worstFirst */.md)(input.rows.filter(r => r.verdict === 'warning'), input.policy);
    const fix = list(violations, row => keyLine(row, input), `### Keys to fix (${violations.length})\n\nTick a key once it is fixed; the next run drops fixed keys from this list and closes this issue when none is left.\n\n`, '\n');
    const warn = list(warnings, row => warningLine(row, input), `<details><summary>Warnings (${warnings.length}): not out of policy yet</summary>\n\n`, '\n</details>\n\n');
    return head + fix + warn + tailText;
}
/** The comment that tells watchers about keys new since the last body. */
function newKeysComment(rows, policy, revealKeyIds, run) {
    const shown = rows.slice(0, COMMENT_KEY_LIMIT);
    const list = shown
        .map(row => `- ${who(row, revealKeyIds)} · ${row.reasons.map(r => reasonWords(r, row, policy)).join(' and ')}\n`)
        .join('');
    const rest = rows.length > shown.length ? `- …and ${rows.length - shown.length} more\n` : '';
    return `**${(0,format/* plural */.LS)(rows.length, 'more key')} out of policy** since the last update (${runLink(run)}):\n\n${list}${rest}`;
}
/** The comment an issue gets when it is closed. */
function closeComment(run) {
    return `All access keys are within policy as of ${runLink(run)}.`;
}

;// CONCATENATED MODULE: ./src/issue.ts



/** The colour of labels the action creates (GitHub's red for bugs). */
const LABEL_COLOR = 'd73a4a';
/** The `permissions:` lines a job needs for the issue calls. */
const ISSUES_PERMISSION_HINT = 'Give the token `issues: write`, for example in the job:\n  permissions:\n    issues: write\n    id-token: write\n    contents: read';
/** The outcome when create-issue is off. */
const ISSUE_OFF = {
    action: 'skipped',
    number: null,
    url: null,
    message: 'create-issue is off',
    dryRun: false
};
/**
 * Keeps one tracking issue per account: creates it when keys break policy, updates its body
 * in place when they change (with a comment naming keys that are new), leaves it alone when
 * nothing changed, and closes it once a complete audit finds the account within policy.
 * A failed GitHub call becomes one warning; it never changes the audit's verdict.
 */
async function trackIssue(input, api, log) {
    if (!input.config.createIssue)
        return ISSUE_OFF;
    try {
        return await lifecycle(input, api, log);
    }
    catch (error) {
        const message = githubFailure(input.audit.accountId, error);
        log.warning(message);
        return {
            action: 'skipped',
            number: null,
            url: null,
            message,
            dryRun: input.config.dryRun,
            error: message
        };
    }
}
async function lifecycle(input, api, log) {
    const { config, audit, run } = input;
    const { report, rows } = audit;
    const account = audit.accountId;
    const dry = config.dryRun;
    const label = config.issueLabels[0];
    const outcome = (action, issue, message) => {
        log.info(message);
        return { action, number: issue?.number ?? null, url: issue?.url ?? null, message, dryRun: dry };
    };
    const open = (await api.openIssues(label))
        .filter(issue => hasMarker(issue.body, account))
        .sort((a, b) => a.number - b.number);
    const current = open[0] ?? null;
    if (open.length > 1) {
        log.info(`Account ${account} has ${open.length} open tracking issues (${open.map(i => `#${i.number}`).join(', ')}); ` +
            `keeping #${current?.number} up to date. Close the others.`);
    }
    const violations = rows.filter(r => r.verdict === 'violation');
    const keys = (0,format/* plural */.LS)(violations.length, 'key');
    if (violations.length === 0) {
        if (!report.complete) {
            // An incomplete audit cannot show the keys were fixed: fail closed, keep the issue open.
            return current
                ? outcome('unchanged', current, `Tracking issue #${current.number} of account ${account} stays open: the audit is incomplete, so it cannot show the keys were fixed`)
                : outcome('none', null, `No tracking issue for account ${account}: no violation among what the incomplete audit read`);
        }
        if (!current) {
            return outcome('none', null, `No open tracking issue for account ${account}, and none is needed`);
        }
        if (!dry) {
            await api.comment(current.number, closeComment(run));
            await api.updateIssue(current.number, { state: 'closed', stateReason: 'completed' });
        }
        return outcome('closed', current, `${dry ? 'Would close' : 'Closed'} tracking issue #${current.number} of account ${account}: all access keys are within policy — ${current.url}`);
    }
    const title = renderTitle(config.issueTitle, account, report.accountAlias);
    const render = (previous, checked) => renderIssueBody({
        report,
        rows,
        policy: config.policy,
        revealKeyIds: config.revealKeyIds,
        run,
        previous,
        checked
    });
    if (current) {
        const body = render(previousIssueOf(current.body), checkedKeys(current.body));
        // The title is only set on creation: people rename issues, and a rename is not a change.
        if (sameContent(current.body, body)) {
            return outcome('unchanged', current, `Tracking issue #${current.number} of account ${account} is up to date (${keys} to fix): no write`);
        }
        const before = new Set(listedKeys(current.body));
        const fresh = violations.filter(r => !before.has(keyLineId(r, config.revealKeyIds)));
        if (!dry) {
            await api.updateIssue(current.number, { body });
            if (fresh.length > 0) {
                await api.comment(current.number, newKeysComment(fresh, config.policy, config.revealKeyIds, run));
            }
        }
        const news = fresh.length > 0 ? `, ${(0,format/* plural */.LS)(fresh.length, 'new key')} named in a comment` : '';
        return outcome('updated', current, `${dry ? 'Would update' : 'Updated'} tracking issue #${current.number} of account ${account}: ${keys} to fix${news} — ${current.url}`);
    }
    const previous = await api.lastClosed(label, issue => hasMarker(issue.body, account));
    for (const [i, name] of config.issueLabels.entries()) {
        if (await api.labelExists(name))
            continue;
        if (dry) {
            log.info(`Would create label '${name}'`);
            continue;
        }
        await api.createLabel(name, LABEL_COLOR, i === 0 ? 'IAM access keys out of policy, tracked by IAM Access Key Gate' : '');
        log.info(`Created label '${name}'`);
    }
    const body = render(previous?.number ?? null, new Set());
    const follows = previous ? `, following #${previous.number}` : '';
    if (dry) {
        return outcome('created', null, `Would create a tracking issue for account ${account}: '${title}', ${keys} to fix${follows}`);
    }
    const issue = { title, body, labels: config.issueLabels, assignees: config.issueAssignees };
    let created;
    try {
        created = await api.createIssue(issue);
    }
    catch (error) {
        // GitHub refuses the whole issue when one assignee cannot be assigned; the issue
        // matters more than who is on it.
        if (statusOf(error) !== 422 || issue.assignees.length === 0)
            throw error;
        log.warning(`Could not assign the tracking issue of account ${account} to ${issue.assignees.join(', ')} ` +
            `(${errorMessage(error)}); creating it without assignees. Check issue-assignees: each must be able to be assigned issues in this repository.`);
        created = await api.createIssue({ ...issue, assignees: [] });
    }
    return outcome('created', created, `Created tracking issue #${created.number} for account ${account}: '${title}', ${keys} to fix${follows} — ${created.url}`);
}
/** The status and words of a failed GitHub call, when it has them. */
function statusOf(error) {
    const status = error?.status;
    return typeof status === 'number' ? status : undefined;
}
/** The one warning for a failed issue call; a 403 says which `permissions:` line to add. */
function githubFailure(accountId, error) {
    const status = statusOf(error);
    const text = errorMessage(error);
    const base = `Could not update the tracking issue of account ${accountId}: ${text}. The audit's result stands.`;
    if (status === 403 && !/rate limit/i.test(text))
        return `${base} ${ISSUES_PERMISSION_HINT}`;
    return base;
}
/** The job summary's line about the issue, or '' when the feature is off. */
function issueSummaryLine(outcome) {
    const ref = outcome.number !== null && outcome.url ? `[#${outcome.number}](${outcome.url})` : '';
    const dry = outcome.dryRun ? ' (dry run: nothing was written)' : '';
    switch (outcome.action) {
        case 'created':
            return `**Tracking issue:** ${outcome.dryRun ? 'would create one' : `created ${ref}`}${dry}`;
        case 'updated':
            return `**Tracking issue:** ${outcome.dryRun ? 'would update' : 'updated'} ${ref}${dry}`;
        case 'closed':
            return `**Tracking issue:** ${outcome.dryRun ? 'would close' : 'closed'} ${ref}${dry}`;
        case 'unchanged':
            return `**Tracking issue:** unchanged ${ref}`;
        case 'none':
            return '**Tracking issue:** none open';
        case 'skipped':
            return outcome.error ? '**Tracking issue:** not updated — see the warning in the log' : '';
    }
}
/** The summary with the issue line under its heading, where a reader looks first. */
function withIssueLine(summary, outcome) {
    const line = issueSummaryLine(outcome);
    if (line === '')
        return summary;
    const end = summary.indexOf('\n\n');
    return end === -1
        ? `${summary}\n\n${line}\n`
        : `${summary.slice(0, end + 2)}${line}\n\n${summary.slice(end + 2)}`;
}

;// CONCATENATED MODULE: ./src/issue-step.ts


/** The workflow run from the runner's variables; the link is null outside a runner. */
function runInfo(env, at) {
    const server = (env.GITHUB_SERVER_URL || 'https://github.com').replace(/\/+$/, '');
    const repo = env.GITHUB_REPOSITORY;
    const id = env.GITHUB_RUN_ID;
    return { url: repo && id ? `${server}/${repo}/actions/runs/${id}` : null, id: id || null, at };
}
// One client per run: many accounts share its rate-limit state.
let client;
/**
 * The tracking issue step of one account, wired to the runner: its token, repository and
 * run, in a log group of its own. It never throws: a failure is one warning.
 */
async function issueStep(config, audit, now) {
    if (!config.createIssue)
        return ISSUE_OFF;
    return core.group(`Tracking issue of account ${audit.accountId}`, async () => {
        const started = Date.now();
        try {
            if (config.githubToken !== null)
                core.setSecret(config.githubToken);
            // Octokit is loaded when the first issue is due, after the audit, not while it runs.
            const { githubIssueApi } = await Promise.all(/* import() */[__webpack_require__.e(874), __webpack_require__.e(248)]).then(__webpack_require__.bind(__webpack_require__, 9248));
            client ??= githubIssueApi({
                token: config.githubToken ?? '',
                repository: process.env.GITHUB_REPOSITORY ?? '',
                apiUrl: process.env.GITHUB_API_URL,
                fastRetries: process.env.IAM_ACCESS_KEY_GATE_FAST_RETRIES === 'true',
                log: { info: m => core.info(m), debug: m => core.debug(m) }
            });
        }
        catch (error) {
            const message = githubFailure(audit.accountId, error);
            core.warning(message);
            return {
                action: 'skipped',
                number: null,
                url: null,
                message,
                dryRun: config.dryRun,
                error: message
            };
        }
        const before = { ...client.stats };
        const outcome = await trackIssue({ config, audit, run: runInfo(process.env, now) }, client.api, log);
        core.info(`GitHub: ${client.stats.requests - before.requests} requests (${client.stats.limited - before.limited} rate-limited or server errors) in ${((Date.now() - started) / 1000).toFixed(1)} s`);
        return outcome;
    });
}
const log = { info: (m) => core.info(m), warning: (m) => core.warning(m) };

;// CONCATENATED MODULE: ./src/multi.ts




function combinedTotals(outcomes) {
    const t = {
        accounts: outcomes.length,
        failedAccounts: 0,
        users: 0,
        keys: 0,
        violations: 0,
        warnings: 0,
        errors: 0,
        complete: true
    };
    for (const o of outcomes) {
        if (o.audit === null) {
            t.failedAccounts++;
            t.errors++;
            t.complete = false;
            continue;
        }
        const r = o.audit.report;
        t.users += r.totals.users;
        t.keys += r.totals.keys;
        t.violations += r.totals.violation;
        t.warnings += r.totals.warning;
        t.errors += r.errors.length;
        if (!r.complete)
            t.complete = false;
    }
    return t;
}
function buildCombinedReport(outcomes, now) {
    const totals = combinedTotals(outcomes);
    return {
        schemaVersion: 1,
        generatedAt: now.toISOString(),
        complete: totals.complete,
        totals,
        accounts: outcomes.flatMap(o => (o.audit ? [o.audit.report] : [])),
        failedAccounts: outcomes.flatMap(o => o.audit === null ? [{ account: o.accountId, error: o.error }] : [])
    };
}
/** The HTML anchor of an account's section, linked from the totals table. */
const anchorOf = (accountId) => `account-${accountId}`;
/**
 * The job summary of a many-account run: the verdict, a totals table with one line per
 * account (linked to its section; an account that could not be audited is an `error` line),
 * then each account's own summary. The 1 MiB budget is shared: each section gets an equal
 * part of what the table leaves, and cuts its own tables with a pointer to its report file.
 */
function renderManySummary(outcomes, config, now, seconds, combinedReportPath, issues = new Map(), budgetBytes = SUMMARY_BUDGET_BYTES) {
    const t = combinedTotals(outcomes);
    const icon = t.violations > 0 || t.failedAccounts > 0 ? '❌' : t.complete ? '✅' : '⚠️';
    const verdict = t.violations > 0
        ? `${(0,format/* plural */.LS)(t.violations, 'key')} break${t.violations === 1 ? 's' : ''} policy`
        : t.complete
            ? `All ${(0,format/* plural */.LS)(t.keys, 'access key')} within policy`
            : 'Audit incomplete, no violation among what was read';
    const failed = t.failedAccounts > 0 ? `, ${t.failedAccounts} could not be audited` : '';
    let head = `## ${icon} IAM access keys: ${verdict} — ${(0,format/* plural */.LS)(t.accounts, 'account')}${failed}\n\n` +
        `| Account | Verdict | Users | Keys | Violations | Warnings | Errors |\n|---|---|--:|--:|--:|--:|--:|\n`;
    for (const o of outcomes) {
        if (o.audit === null) {
            head += `| ${o.accountId} | ❌ error: ${(0,format/* escapeCell */.kq)(o.error)} | — | — | — | — | 1 |\n`;
            continue;
        }
        const r = o.audit.report;
        const h = headline(r);
        const alias = r.accountAlias ? ` (${(0,format/* escapeCell */.kq)(r.accountAlias)})` : '';
        head +=
            `| [${o.accountId}](#${anchorOf(o.accountId)})${alias} | ${h.icon} ${(0,format/* escapeCell */.kq)(h.text)} | ${r.totals.users} | ` +
                `${r.totals.keys} | ${r.totals.violation} | ${r.totals.warning} | ${r.errors.length} |\n`;
    }
    head +=
        `| **Total** | | **${t.users}** | **${t.keys}** | **${t.violations}** | **${t.warnings}** | **${t.errors}** |\n\n` +
            `Combined report: \`${(0,format/* escapeCell */.kq)(combinedReportPath)}\` · ${seconds.toFixed(1)} s\n\n`;
    const audited = outcomes.filter(o => o.audit !== null);
    const perSection = Math.floor((budgetBytes - byteLength(head)) / Math.max(1, audited.length) - 200);
    const rendered = audited.map(o => {
        const a = o.audit;
        const section = renderSummary({
            report: a.report,
            rows: a.rows,
            policy: config.policy,
            now,
            revealKeyIds: config.revealKeyIds,
            reportPath: a.reportPath,
            seconds,
            budgetBytes: Math.max(perSection, 2000),
            deactivation: deactivationNote(config)
        });
        const issue = issues.get(o.accountId);
        return `<a id="${anchorOf(o.accountId)}"></a>\n\n${issue ? withIssueLine(section, issue) : section}\n`;
    });
    const errors = outcomes
        .filter(o => o.audit === null)
        .map(o => `- Account ${o.accountId}: <code>${(0,format/* escapeHtml */.ZD)(o.error)}</code>\n`);
    let text = head + (errors.length ? `### Accounts that could not be audited\n\n${errors.join('')}\n` : '');
    // A section's headings and totals are written whatever its share, so with very many accounts
    // the shares alone could pass the limit: stop adding sections before the budget runs out.
    const pointer = (left) => `\n_…and ${(0,format/* plural */.LS)(left, 'more account section')} not shown here (the summary is limited to 1 MiB): see the combined report._\n`;
    let used = byteLength(text) + byteLength(pointer(rendered.length));
    for (let i = 0; i < rendered.length; i++) {
        const bytes = byteLength(rendered[i]);
        if (used + bytes > budgetBytes) {
            text += pointer(rendered.length - i);
            break;
        }
        text += rendered[i];
        used += bytes;
    }
    return text;
}
/** Why a many-account run fails, in one line; null when it passes. */
function manyFailureMessage(outcomes, config) {
    const parts = [];
    for (const o of outcomes) {
        if (o.audit === null) {
            if (config.failOnError)
                parts.push(`Account ${o.accountId} could not be audited: ${o.error}`);
            continue;
        }
        const why = [
            failureMessage(o.audit.report, o.audit.rows, config.policy, config),
            o.audit.reportWriteError
        ].filter(Boolean);
        if (why.length)
            parts.push(`Account ${o.accountId}: ${why.join('; ')}`);
    }
    return parts.length ? parts.join('\n') : null;
}

;// CONCATENATED MODULE: ./src/targets.ts




// Errors another attempt cannot fix: the role or its trust policy is wrong.
const targets_PERMANENT = new Set(['AccessDenied', 'ValidationError', 'InvalidClientTokenId']);
/** The partition of a role ARN or, without one, of the region (IAM ARNs differ per partition). */
function partitionOf(roleArn, region) {
    const fromArn = roleArn?.split(':')[1];
    if (fromArn)
        return fromArn;
    if (region.startsWith('cn-'))
        return 'aws-cn';
    if (region.startsWith('us-gov-'))
        return 'aws-us-gov';
    if (region.startsWith('eusc-'))
        return 'aws-eusc';
    if (region.startsWith('us-isob-'))
        return 'aws-iso-b';
    if (region.startsWith('eu-isoe-'))
        return 'aws-iso-e';
    if (region.startsWith('us-isof-'))
        return 'aws-iso-f';
    if (region.startsWith('us-iso-'))
        return 'aws-iso';
    return 'aws';
}
/**
 * Assumes `roleName` in `accountId` from the hub session (role chaining), retrying what may
 * pass on a later attempt. The session is masked before anything could log it.
 */
async function assumeAccountRole(accountId, roleArn, sessionName, deps) {
    const sts = new client_sts_dist_cjs/* STSClient */.iM({ region: deps.region, credentials: deps.credentials, maxAttempts: 1 });
    try {
        const out = await withRetry(() => sts.send(new client_sts_dist_cjs/* AssumeRoleCommand */.QL({
            RoleArn: roleArn,
            RoleSessionName: sessionName,
            DurationSeconds: 3600
        })), {
            attempts: 4,
            baseMs: 500,
            capMs: 8000,
            sleep: deps.sleep,
            retryable: error => !targets_PERMANENT.has(awsErrorCode(error) ?? ''),
            onRetry: ({ attempt, attempts, error, delayMs }) => deps.log(`${retryLogLine(`AssumeRole into ${accountId}`, attempt, attempts, error)}; retrying in ${delayMs} ms`)
        });
        return maskedCredentials(out.Credentials, deps.setSecret, 'AssumeRole');
    }
    catch (error) {
        throw new UserFacingError(`Could not assume ${roleArn} (input account-role-name): ${describeFailure(error)}`);
    }
    finally {
        sts.destroy();
    }
}
const isActive = (a) => (a.State ?? a.Status) === 'ACTIVE';
/**
 * The organization's ACTIVE accounts, sorted by id; with `parents`, only those under them
 * (nested OUs included). Throws a message that names the input when the listing fails: an
 * audit of "no accounts" must never read as clean.
 */
async function listOrganizationAccounts(parents, deps) {
    // Loaded only in organization mode: the client is 6 MB of memory a one-account run never needs.
    const { ListAccountsCommand, ListAccountsForParentCommand, ListChildrenCommand, OrganizationsClient } = await __webpack_require__.e(/* import() */ 503).then(__webpack_require__.t.bind(__webpack_require__, 2503, 19));
    const org = new OrganizationsClient({
        region: deps.region,
        credentials: deps.credentials,
        maxAttempts: 5
    });
    const ids = new Set();
    try {
        if (parents.length === 0) {
            let token;
            do {
                const page = await org.send(new ListAccountsCommand({ NextToken: token }));
                for (const a of page.Accounts ?? [])
                    if (a.Id && isActive(a))
                        ids.add(a.Id);
                token = page.NextToken;
            } while (token);
        }
        else {
            const queue = [...parents];
            const seen = new Set();
            while (queue.length > 0) {
                const parent = queue.shift();
                if (seen.has(parent))
                    continue;
                seen.add(parent);
                let token;
                do {
                    const page = await org.send(new ListAccountsForParentCommand({ ParentId: parent, NextToken: token }));
                    for (const a of page.Accounts ?? [])
                        if (a.Id && isActive(a))
                            ids.add(a.Id);
                    token = page.NextToken;
                } while (token);
                do {
                    const page = await org.send(new ListChildrenCommand({
                        ParentId: parent,
                        ChildType: 'ORGANIZATIONAL_UNIT',
                        NextToken: token
                    }));
                    for (const child of page.Children ?? [])
                        if (child.Id)
                            queue.push(child.Id);
                    token = page.NextToken;
                } while (token);
            }
        }
    }
    catch (error) {
        throw new UserFacingError(`Could not list the organization's accounts (input organization${parents.length ? ', organization-ous' : ''}): ${errorMessage(error)}`);
    }
    finally {
        org.destroy();
    }
    if (ids.size === 0)
        throw new UserFacingError(`The organization has no ACTIVE account${parents.length ? ` under ${parents.join(', ')} (input organization-ous)` : ''}: nothing to audit`);
    return [...ids].sort();
}

;// CONCATENATED MODULE: ./src/main.ts

















/**
 * Accounts audited side by side. Each has its own IAM rate, so they do not slow each other
 * down; beyond this the runner's CPU and sockets are the limit.
 */
const ACCOUNTS_IN_PARALLEL = 25;
/**
 * The whole run. It calls `core.setFailed` exactly once when the step must fail, whatever
 * was thrown, and writes the summary (and, once credentials worked, the report) in every case.
 */
async function run() {
    const started = Date.now();
    let failure;
    try {
        failure = await audit(started);
    }
    catch (error) {
        failure = describeFailure(error);
        if (core.isDebug() && error instanceof Error && error.stack)
            core.debug(error.stack);
        core.setOutput('compliant', 'false');
        await writeSummary(renderStartFailure(failure));
    }
    if (failure !== null)
        core.setFailed(failure);
}
async function audit(started) {
    const now = new Date(started);
    const config = parseConfig((name) => core.getInput(name), now);
    if (config.dryRun)
        core.warning('dry-run is on: every step runs, but nothing is written');
    const identity = await core.group('AWS credentials', async () => {
        const id = await resolveIdentity(config, {
            getIDToken: aud => core.getIDToken(aud),
            setSecret: value => core.setSecret(value),
            log: message => core.info(message),
            env: process.env
        });
        core.info(`Auditing account ${id.accountId} as ${id.arn}`);
        return id;
    });
    if (config.accounts.length > 0 || config.organization)
        return auditMany(config, identity, now, started);
    const result = await core.group(`Reading IAM users and access keys of account ${identity.accountId}`, () => auditAccount(config, identity.accountId, identity.credentials, now, {
        info: message => core.info(message),
        warning: message => core.warning(message),
        debug: message => core.debug(message)
    }));
    const summary = renderSummary({
        report: result.report,
        rows: result.rows,
        policy: config.policy,
        now,
        revealKeyIds: config.revealKeyIds,
        reportPath: result.reportPath,
        seconds: (Date.now() - started) / 1000,
        deactivation: deactivationNote(config)
    });
    (0,thread/* markCommitted */.sk)();
    const issue = await issueStep(config, result, now);
    await writeSummary(withIssueLine(summary, issue));
    setOutputs(result, issue);
    for (const message of violationAnnotations(result.rows, config.policy, config.revealKeyIds)) {
        core.error(message, { title: 'IAM access key out of policy' });
    }
    return verdictOf(config, result);
}
/**
 * Many accounts: each one's role is assumed from the role-to-assume session and audited with
 * its own rate controller; an account that cannot be audited becomes an `error` line and the
 * others go on. The run fails closed.
 */
async function auditMany(config, identity, now, started) {
    const deps = {
        region: config.awsRegion,
        credentials: identity.credentials,
        setSecret: (value) => core.setSecret(value),
        log: (message) => core.info(message)
    };
    const accountIds = config.organization
        ? await core.group('Listing the organization’s accounts', async () => {
            const ids = await listOrganizationAccounts(config.organizationOus, deps);
            core.info(`${ids.length} active accounts: ${ids.join(', ')}`);
            return ids;
        })
        : config.accounts;
    const partition = partitionOf(config.roleToAssume, config.awsRegion);
    const pool = new Pool(ACCOUNTS_IN_PARALLEL);
    const outcomes = await core.group(`Reading IAM users and access keys of ${accountIds.length} accounts`, () => Promise.all(accountIds.map(accountId => pool.run(async () => {
        try {
            const roleArn = `arn:${partition}:iam::${accountId}:role/${config.accountRoleName}`;
            const credentials = await assumeAccountRole(accountId, roleArn, config.roleSessionName, deps);
            const audit = await auditAccount({ ...config, reportPath: accountReportPath(config, accountId) }, accountId, credentials, now, {
                info: message => core.info(message),
                warning: message => core.warning(`Account ${accountId}: ${message}`),
                debug: message => core.debug(`Account ${accountId}: ${message}`)
            });
            return { accountId, audit, error: null };
        }
        catch (error) {
            const message = describeFailure(error);
            core.warning(`Account ${accountId} could not be audited: ${message}`);
            return { accountId, audit: null, error: message };
        }
    }))));
    // Annotations and tracking issues come after all audits, one account at a time, so their
    // lines do not interleave; and a run that runs out of memory while auditing (launch.ts
    // starts it again) has shown none yet.
    for (const { accountId, audit } of outcomes) {
        if (!audit)
            continue;
        for (const message of violationAnnotations(audit.rows, config.policy, config.revealKeyIds))
            core.error(`Account ${accountId}: ${message}`, { title: 'IAM access key out of policy' });
    }
    (0,thread/* markCommitted */.sk)();
    const issues = new Map();
    for (const o of outcomes)
        if (o.audit)
            issues.set(o.accountId, await issueStep(config, o.audit, now));
    const combinedPath = config.reportPath ?? (0,external_node_path_.join)(process.env.RUNNER_TEMP || (0,external_node_os_.tmpdir)(), 'iam-access-key-gate-all.json');
    let writeError = null;
    try {
        await (0,promises_.mkdir)((0,external_node_path_.dirname)(combinedPath), { recursive: true });
        await writeJsonFile(combinedPath, buildCombinedReport(outcomes, now));
        core.info(`Combined report written to ${combinedPath}`);
    }
    catch (error) {
        writeError = `Could not write the report file '${combinedPath}' (input report-path): ${describeFailure(error)}`;
    }
    await writeSummary(renderManySummary(outcomes, config, now, (Date.now() - started) / 1000, combinedPath, issues));
    const t = combinedTotals(outcomes);
    core.setOutput('compliant', String(t.violations === 0 && t.complete));
    core.setOutput('violations', String(t.violations));
    core.setOutput('warnings', String(t.warnings));
    core.setOutput('keys-scanned', String(t.keys));
    core.setOutput('users-scanned', String(t.users));
    core.setOutput('errors', String(t.errors));
    core.setOutput('report-path', combinedPath);
    // One issue per account: the outputs list every issue this run touched, comma-separated.
    const touched = [...issues.values()].filter(i => i.number !== null);
    core.setOutput('issue-number', touched.map(i => i.number).join(','));
    core.setOutput('issue-url', touched.map(i => i.url ?? '').join(','));
    return [manyFailureMessage(outcomes, config), writeError].filter(Boolean).join('\n') || null;
}
/** With many accounts, each account's report sits next to the combined one. */
function accountReportPath(config, accountId) {
    if (config.reportPath === null)
        return null;
    return `${config.reportPath.replace(/\.json$/i, '')}-${accountId}.json`;
}
/** The step's failure message, or null when it passes. */
function verdictOf(config, result) {
    const verdict = failureMessage(result.report, result.rows, config.policy, config);
    return [verdict, result.reportWriteError].filter(Boolean).join('; ') || null;
}
function setOutputs(result, issue) {
    const { report } = result;
    const t = report.totals;
    core.setOutput('compliant', String(t.violation === 0 && report.complete));
    core.setOutput('violations', String(t.violation));
    core.setOutput('warnings', String(t.warning));
    core.setOutput('keys-scanned', String(t.keys));
    core.setOutput('users-scanned', String(t.users));
    core.setOutput('errors', String(report.errors.length));
    core.setOutput('report-path', result.reportPath);
    core.setOutput('issue-number', issue.number === null ? '' : String(issue.number));
    core.setOutput('issue-url', issue.url ?? '');
}
/**
 * Reports a run whose audit thread died before it gave a verdict (see `launch.ts`): the
 * summary says so — below the verdict when that was already written — `compliant` is
 * `false`, and the step fails.
 */
async function reportCrash(message, summaryWritten) {
    core.endGroup(); // the thread that died may have left a log group open
    core.setOutput('compliant', 'false');
    await writeSummary(summaryWritten
        ? renderLateFailure(message)
        : renderStartFailure(message, 'the audit did not finish'));
    core.setFailed(message);
}
/** Writes the job summary; outside a runner (no GITHUB_STEP_SUMMARY) it goes to the log. */
async function writeSummary(markdown) {
    if (!process.env.GITHUB_STEP_SUMMARY) {
        core.info(markdown);
        return;
    }
    try {
        (0,thread/* markCommitted */.sk)();
        await core.summary.addRaw(markdown).write();
        (0,thread/* reachStage */.U_)(thread/* SUMMARY_WRITTEN */.B9);
    }
    catch (error) {
        core.warning(`Could not write the job summary: ${describeFailure(error)}`);
    }
}


/***/ })

};

import { createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto'

/** GitHub's issuer; STS answers it back as Provider. */
export const OIDC_ISSUER = 'https://token.actions.githubusercontent.com'
const TOKEN_LIFETIME_S = 600

export interface OidcClaims {
  iss: string
  sub: string
  aud: string
  exp: number
  iat: number
  nbf: number
  jti: string
  [claim: string]: string | number
}

export type VerifyResult =
  | { ok: true; claims: OidcClaims }
  | { ok: false; code: 'InvalidIdentityToken' | 'ExpiredTokenException'; message: string }

function b64url(data: string | Buffer): string {
  return Buffer.from(data).toString('base64url')
}

/**
 * Issues JWT-shaped tokens like the runner's ID-token endpoint and recognises its own:
 * signed with a per-process HMAC key, so STS can tell a token from this emulator apart
 * from any other string.
 */
export class OidcIssuer {
  readonly requestToken = randomBytes(24).toString('hex')
  private readonly key = randomBytes(32)

  constructor(private readonly repo: string) {}

  /** GitHub's default audience is the URL of the repository owner. */
  defaultAudience(): string {
    return `https://github.com/${this.repo.split('/')[0] ?? ''}`
  }

  issue(audience: string | undefined, now: number = Date.now()): string {
    const iat = Math.floor(now / 1000)
    const [owner = 'acme'] = this.repo.split('/')
    const claims: OidcClaims = {
      jti: randomUUID(),
      sub: `repo:${this.repo}:ref:refs/heads/main`,
      aud: audience ?? this.defaultAudience(),
      ref: 'refs/heads/main',
      sha: 'a3c1f6d0b1e24c8f9d7e6b5a4c3d2e1f0a9b8c7d',
      repository: this.repo,
      repository_owner: owner,
      repository_visibility: 'private',
      run_id: '1',
      run_number: '1',
      run_attempt: '1',
      actor: 'octocat',
      workflow: 'iam-access-key-gate',
      event_name: 'schedule',
      ref_type: 'branch',
      job_workflow_ref: `${this.repo}/.github/workflows/audit.yml@refs/heads/main`,
      iss: OIDC_ISSUER,
      nbf: iat - 5,
      exp: iat + TOKEN_LIFETIME_S,
      iat
    }
    const head = b64url(JSON.stringify({ typ: 'JWT', alg: 'HS256', kid: 'emulator' }))
    const body = b64url(JSON.stringify(claims))
    return `${head}.${body}.${this.sign(`${head}.${body}`)}`
  }

  verify(token: string, now: number = Date.now()): VerifyResult {
    const invalid = (message: string): VerifyResult => ({
      ok: false,
      code: 'InvalidIdentityToken',
      message
    })
    const parts = token.split('.')
    if (parts.length !== 3)
      return invalid(
        'The ID Token provided is not a valid JWT. (You may see this error if you sent an Access Token)'
      )
    const [head = '', body = '', signature = ''] = parts
    const expected = Buffer.from(this.sign(`${head}.${body}`))
    const given = Buffer.from(signature)
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      return invalid("Couldn't verify the signature of the web identity token.")
    }
    const claims = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as OidcClaims
    if (claims.exp * 1000 <= now) {
      return {
        ok: false,
        code: 'ExpiredTokenException',
        message: 'Token expired: current date/time must be before the expiration date/time.'
      }
    }
    return { ok: true, claims }
  }

  private sign(input: string): string {
    return createHmac('sha256', this.key).update(input).digest('base64url')
  }
}

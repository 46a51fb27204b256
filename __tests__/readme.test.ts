/**
 * Keeps README.md true: every example workflow is a valid workflow whose steps pass only
 * inputs this action declares, and the inputs and outputs tables list exactly action.yml's.
 */
import { describe, expect, it } from '@jest/globals'
import { validateWorkflow } from '@action-validator/core'
import { readFileSync } from 'node:fs'
import { parse } from 'yaml'

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8')
const action = parse(readFileSync(new URL('../action.yml', import.meta.url), 'utf8')) as {
  inputs: Record<string, unknown>
  outputs: Record<string, unknown>
}

const yamlBlocks = [...readme.matchAll(/```yaml\n([\s\S]*?)```/g)].map(m => m[1])
const workflows = yamlBlocks.filter(b => /^jobs:/m.test(b))

interface Step {
  uses?: string
  with?: Record<string, unknown>
}

/** Steps of a workflow that run this action (by its published name or `./`). */
function gateSteps(workflow: string): Step[] {
  const doc = parse(workflow) as { jobs: Record<string, { steps?: Step[] }> }
  return Object.values(doc.jobs)
    .flatMap(job => job.steps ?? [])
    .filter(step => step.uses === './' || /iam-access-key-gate@/.test(step.uses ?? ''))
}

/** The first column of the Markdown table under a `## heading`. */
function tableNames(heading: string): string[] {
  const start = readme.indexOf(`\n## ${heading}\n`)
  expect(start).toBeGreaterThan(-1)
  const section = readme.slice(start + 1).split(/\n## /)[0]
  return section
    .split('\n')
    .filter(line => /^\| `/.test(line))
    .flatMap(line => [...line.split('|')[1].matchAll(/`([a-z0-9-]+)`/g)].map(m => m[1]))
}

describe('README.md', () => {
  it('has example workflows', () => {
    expect(workflows.length).toBeGreaterThanOrEqual(1)
  })

  it.each(workflows.map((w, i) => [i + 1, w]))(
    'example workflow %i is a valid workflow',
    (_n, workflow) => {
      expect(validateWorkflow(workflow as string).errors).toEqual([])
    }
  )

  it('passes only declared inputs to the action in every example', () => {
    const declared = new Set(Object.keys(action.inputs))
    const used = workflows.flatMap(w => gateSteps(w)).flatMap(step => Object.keys(step.with ?? {}))
    expect(used.length).toBeGreaterThan(0)
    expect(used.filter(name => !declared.has(name))).toEqual([])
  })

  it('documents exactly the inputs of action.yml', () => {
    expect(new Set(tableNames('Inputs'))).toEqual(new Set(Object.keys(action.inputs)))
  })

  it('documents exactly the outputs of action.yml', () => {
    expect(new Set(tableNames('Outputs'))).toEqual(new Set(Object.keys(action.outputs)))
  })
})

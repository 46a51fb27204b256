import { describe, expect, it } from '@jest/globals'
import { parseConfig } from '../src/config.js'
import { partitionOf } from '../src/targets.js'
import { inputs } from './helpers/inputs.js'

describe('partitions', () => {
  it.each([
    ['us-east-1', 'aws'],
    ['cn-north-1', 'aws-cn'],
    ['us-gov-west-1', 'aws-us-gov'],
    ['eusc-de-east-1', 'aws-eusc'],
    ['us-iso-east-1', 'aws-iso'],
    ['us-isob-east-1', 'aws-iso-b'],
    ['eu-isoe-west-1', 'aws-iso-e'],
    ['us-isof-south-1', 'aws-iso-f']
  ])('a region %s is in partition %s, and aws-region accepts it', (region, partition) => {
    expect(partitionOf(null, region)).toBe(partition)
    expect(parseConfig(inputs({ 'aws-region': region })).awsRegion).toBe(region)
  })

  it('takes the partition of role-to-assume when there is one', () => {
    expect(partitionOf('arn:aws-cn:iam::123456789012:role/gate', 'us-east-1')).toBe('aws-cn')
  })
})

import type { NotificationConfiguration } from '@aws-sdk/client-s3';
import { Template } from 'aws-cdk-lib/assertions';
import { buildApp } from '../infra/support/synth.ts';

/**
 * The data bucket's event notifications exactly as the stack configures them: the
 * `NotificationConfiguration` CDK's custom resource writes at deployment (event types and key
 * filters from infra/), read from the synthesized template, with the queue ARN replaced by `queueArn`.
 */
export function stackNotificationConfiguration(queueArn: string): NotificationConfiguration {
  const template = Template.fromStack(buildApp('dev').stateless);
  const resources = Object.values(template.findResources('Custom::S3BucketNotifications'));
  if (resources.length !== 1) {
    throw new Error(`expected one bucket notification resource, found ${resources.length}`);
  }
  const configuration = resources[0]?.Properties.NotificationConfiguration as {
    QueueConfigurations?: Array<Record<string, unknown>>;
    [other: string]: unknown;
  };
  return {
    ...configuration,
    QueueConfigurations: (configuration.QueueConfigurations ?? []).map((queue) => ({
      ...queue,
      QueueArn: queueArn,
    })),
  } as NotificationConfiguration;
}

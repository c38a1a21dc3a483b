/** The content creation agent's task: one piece for one channel, within the channel's limits. */
import { z } from 'zod';
import {
  bodyField,
  brandSchema,
  callToActionField,
  CHANNELS,
  channelRules,
  channelSchema,
  commonRules,
  hashtagsField,
  outputSchema,
  systemMessage,
  titleField,
  userDataMessage,
  type Channel,
  type TaskDefinition,
} from './common';
import type { OutputSchema } from '../types';

export const linkSchema = z.union([z.literal(''), z.url({ protocol: /^https?$/ }).max(2000)]).default('');

export const contentInput = z.object({
  brand: brandSchema,
  channel: channelSchema,
  /** What the piece must say and achieve. */
  brief: z.string().trim().min(1).max(20_000),
  keywords: z.array(z.string().trim().min(1).max(80)).max(20).default([]),
  /** The call to action wanted (the writer picks one when empty). */
  callToAction: z.string().trim().max(200).default(''),
  /** Where the call to action leads, if anywhere. */
  link: linkSchema,
});
export type ContentInput = z.output<typeof contentInput>;

export interface ContentOutput {
  title: string;
  body: string;
  callToAction: string;
  hashtags: string[];
}

/** The fields of a piece for `channel` (null: any channel, the loosest limits). */
export function contentFields(channel: Channel | null) {
  return {
    title: titleField(channel),
    body: bodyField(channel),
    callToAction: callToActionField,
    hashtags: hashtagsField(channel),
  };
}

const general = outputSchema<ContentOutput>('content', 'A piece of content for one channel.', z.object(contentFields(null)));
const byChannel = Object.fromEntries(
  CHANNELS.map((channel) => [
    channel,
    outputSchema<ContentOutput>(`content_${channel.toLowerCase()}`, `A piece of content for ${channel}, within its limits.`, z.object(contentFields(channel))),
  ]),
) as Record<Channel, OutputSchema<ContentOutput>>;

export function contentSchemaFor(channel: Channel): OutputSchema<ContentOutput> {
  return byChannel[channel];
}

export const contentTask: TaskDefinition<'content', typeof contentInput, ContentOutput> = {
  name: 'content',
  version: 'content@2026-12-01.1',
  description: 'A piece for one channel: title, body, call to action, hashtags, within the channel limits.',
  input: contentInput,
  output: general,
  schemaFor: (input) => byChannel[input.channel],
  defaults: { maxTokens: 2500, temperature: 0.7 },
  buildMessages(input) {
    const schema = byChannel[input.channel];
    return [
      systemMessage([
        'You are the content creation agent of a marketing team. Write one piece of content for the channel below, for the brand described in the data, doing what data.brief asks.',
        '',
        ...channelRules(input.channel),
        '',
        'TASK',
        '- Open with a line that earns attention, then give the substance of the brief, then the call to action.',
        '- Use data.keywords (when given) naturally, and as hashtags where the channel has them.',
        '- callToAction: data.callToAction when given, otherwise one that fits the brief; put it in the body too, followed by data.link when a link is given.',
        commonRules(schema.name, { brandVoice: true }),
      ]),
      userDataMessage({ brand: input.brand, channel: input.channel, brief: input.brief, keywords: input.keywords, callToAction: input.callToAction, link: input.link }),
    ];
  },
};

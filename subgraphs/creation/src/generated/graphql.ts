import type { GraphQLResolveInfo, GraphQLScalarType, GraphQLScalarTypeConfig } from 'graphql';
import type { ProjectRef, ContentRow, ContentConnectionModel, BriefRow, GenerationJobRow, GenerationJobConnectionModel, AiCallRow, AiCallConnectionModel } from '../db/schema';
import type { StoredDeadLetter } from '@umt/infra';
import type { BudgetStatus } from '@umt/ai';
import type { AiUsageReport } from '../agent/generation';
import type { Context } from '../context';
export type Maybe<T> = T | null;
export type InputMaybe<T> = Maybe<T>;
export type Omit<T, K extends keyof T> = Pick<T, Exclude<keyof T, K>>;
export type RequireFields<T, K extends keyof T> = Omit<T, K> & { [P in K]-?: NonNullable<T[P]> };
/** All built-in and custom scalars, mapped to their actual values */
export type Scalars = {
  ID: { input: string; output: string; }
  String: { input: string; output: string; }
  Boolean: { input: boolean; output: boolean; }
  Int: { input: number; output: number; }
  Float: { input: number; output: number; }
  /** An ISO 8601 date-time, e.g. 2026-11-25T10:00:00.000Z */
  DateTime: { input: Date; output: Date; }
  /** Any JSON value: a task's input, an AI result. */
  JSON: { input: unknown; output: unknown; }
  _FieldSet: { input: unknown; output: unknown; }
};

/** An organization's monthly AI budget and what it has spent (UTC calendar months). */
export type AiBudget = {
  __typename?: 'AiBudget';
  /** True while the organization has not set its own budget (the platform default applies). */
  isDefault: Scalars['Boolean']['output'];
  /** The month, e.g. 2026-12. */
  month: Scalars['String']['output'];
  monthlyLimitCents: Scalars['Int']['output'];
  spentMicroUsd: Scalars['Float']['output'];
  state: AiBudgetState;
  /** The share of the limit (percent) at which the warning fires, once a month. */
  warningPercent: Scalars['Int']['output'];
};

export type AiBudgetState =
  /** The limit is reached: generations that would call a model are refused with BUDGET_EXCEEDED. */
  | 'EXCEEDED'
  /** Below the warning share. */
  | 'OK'
  /** At or past the warning share, below the limit. */
  | 'WARNING';

/** One provider call (or one answer from the cache) and what it cost. */
export type AiCall = {
  __typename?: 'AiCall';
  agent: Scalars['String']['output'];
  costMicroUsd: Scalars['Float']['output'];
  createdAt: Scalars['DateTime']['output'];
  id: Scalars['ID']['output'];
  inputTokens: Scalars['Int']['output'];
  job?: Maybe<GenerationJob>;
  model: Scalars['String']['output'];
  /** success, invalid_output, failed or cached. */
  outcome: Scalars['String']['output'];
  outputTokens: Scalars['Int']['output'];
  priced: Scalars['Boolean']['output'];
  provider: Scalars['String']['output'];
  task: AiTask;
  tokensEstimated: Scalars['Boolean']['output'];
};

export type AiCallConnection = {
  __typename?: 'AiCallConnection';
  nodes: Array<AiCall>;
  pageInfo: PageInfo;
};

/** What an AI generation does (each task has its own input and output schema: docs/ai.md). */
export type AiTask =
  | 'BRAND_GUIDELINES'
  | 'COMPETITOR_ANALYSIS'
  | 'CONTENT'
  | 'QUALITY_REVIEW'
  | 'STRATEGY'
  | 'VARIANTS';

export type AiUsage = {
  __typename?: 'AiUsage';
  budget: AiBudget;
  byAgent: Array<AiUsageLine>;
  byModel: Array<AiUsageLine>;
  month: Scalars['String']['output'];
  total: AiUsageLine;
};

/** Usage summed over a month: for the organization, one agent, or one provider and model. */
export type AiUsageLine = {
  __typename?: 'AiUsageLine';
  agent?: Maybe<Scalars['String']['output']>;
  /** False when some calls used a model with no configured price (counted at 0). */
  allPriced: Scalars['Boolean']['output'];
  /** Generations answered from the cache: no provider call, no cost. */
  cachedAnswers: Scalars['Int']['output'];
  /** Provider calls, failed ones included (cached answers are counted apart). */
  calls: Scalars['Int']['output'];
  costMicroUsd: Scalars['Float']['output'];
  inputTokens: Scalars['Int']['output'];
  model?: Maybe<Scalars['String']['output']>;
  outputTokens: Scalars['Int']['output'];
  provider?: Maybe<Scalars['String']['output']>;
};

/** What the content of a project must achieve; opened by the creation agent when the project is created. */
export type Brief = {
  __typename?: 'Brief';
  openedAt: Scalars['DateTime']['output'];
  projectType: Scalars['String']['output'];
  status: BriefStatus;
  title: Scalars['String']['output'];
};

export type BriefStatus =
  | 'CLOSED'
  | 'OPEN';

/** Where content is published. */
export type Channel =
  | 'BLOG'
  | 'EMAIL'
  | 'FACEBOOK'
  | 'INSTAGRAM'
  | 'LINKEDIN'
  | 'TIKTOK'
  | 'X';

/** A piece of content for one channel: a post, an email, an article. */
export type Content = {
  __typename?: 'Content';
  body: Scalars['String']['output'];
  channel: Channel;
  createdAt: Scalars['DateTime']['output'];
  id: Scalars['ID']['output'];
  /** Null when the project is not (or no longer) visible to the caller. */
  project?: Maybe<Project>;
  status: ContentStatus;
  title: Scalars['String']['output'];
  updatedAt: Scalars['DateTime']['output'];
};

export type ContentConnection = {
  __typename?: 'ContentConnection';
  nodes: Array<Content>;
  pageInfo: PageInfo;
};

export type ContentStatus =
  | 'APPROVED'
  | 'DRAFT'
  | 'REVIEW';

export type CreateContentInput = {
  body: Scalars['String']['input'];
  channel: Channel;
  projectId: Scalars['ID']['input'];
  title: Scalars['String']['input'];
};

/** A domain event this subgraph gave up on; an ADMIN can replay it once the cause is fixed. */
export type DeadLetter = {
  __typename?: 'DeadLetter';
  attempts: Scalars['Int']['output'];
  /** The event as it was published, as JSON (the body as received, when it was no envelope). */
  envelope: Scalars['String']['output'];
  /** The last failure's message. */
  error: Scalars['String']['output'];
  eventId: Scalars['ID']['output'];
  firstFailedAt: Scalars['DateTime']['output'];
  id: Scalars['ID']['output'];
  lastFailedAt: Scalars['DateTime']['output'];
  reason: DeadLetterReason;
  replayedAt?: Maybe<Scalars['DateTime']['output']>;
  type: Scalars['String']['output'];
};

export type DeadLetterConnection = {
  __typename?: 'DeadLetterConnection';
  nodes: Array<DeadLetter>;
  pageInfo: PageInfo;
};

/** Why a message became a dead letter. */
export type DeadLetterReason =
  /** Its handler kept failing, after the retries. */
  | 'HANDLER_FAILED'
  /** Its payload does not fit its event type's schema (never retried). */
  | 'INVALID_PAYLOAD'
  /** Its body was JSON but no event envelope (never retried). */
  | 'NOT_ENVELOPE'
  /** Its body was not JSON (never retried). */
  | 'NOT_JSON';

/** APPLIED, ALREADY_PROCESSED (nothing changed) or FAILED (the dead letter stays, with the new error). */
export type DeadLetterReplay = {
  __typename?: 'DeadLetterReplay';
  error?: Maybe<Scalars['String']['output']>;
  id: Scalars['ID']['output'];
  outcome: Scalars['String']['output'];
};

export type DeadLetterReplaySummary = {
  __typename?: 'DeadLetterReplaySummary';
  alreadyProcessed: Scalars['Int']['output'];
  applied: Scalars['Int']['output'];
  failed: Scalars['Int']['output'];
};

export type DeadLetterStatus =
  | 'ALL'
  | 'PENDING'
  | 'REPLAYED';

/** Why a job failed (or, while it waits for a retry, why its last run did). */
export type GenerationError = {
  __typename?: 'GenerationError';
  /** BUDGET_EXCEEDED, AI_UNAVAILABLE, AI_INVALID_OUTPUT, BAD_USER_INPUT or INTERNAL_SERVER_ERROR. */
  code: Scalars['String']['output'];
  message: Scalars['String']['output'];
};

/**
 * One AI generation, run in the background. Poll it with `generationJob(id:)` until `status` is SUCCEEDED or FAILED,
 * waiting `pollAfterSeconds` between polls (docs/ai.md: the polling contract).
 */
export type GenerationJob = {
  __typename?: 'GenerationJob';
  /** Runs started: more than 1 after a retried failure or a worker that stopped mid-job. */
  attempts: Scalars['Int']['output'];
  /** True when the result came from the cache of identical requests (no provider call, no cost). */
  cached: Scalars['Boolean']['output'];
  /** What the job's calls cost, in millionths of a US dollar (failed calls included). */
  costMicroUsd: Scalars['Float']['output'];
  createdAt: Scalars['DateTime']['output'];
  error?: Maybe<GenerationError>;
  finishedAt?: Maybe<Scalars['DateTime']['output']>;
  id: Scalars['ID']['output'];
  /** The task's input as checked (defaults filled in). */
  input: Scalars['JSON']['output'];
  inputTokens: Scalars['Int']['output'];
  model?: Maybe<Scalars['String']['output']>;
  /** True when no model was configured and the offline generator produced the result. */
  offline: Scalars['Boolean']['output'];
  outputTokens: Scalars['Int']['output'];
  /** How long to wait before polling again; null once the job has finished. */
  pollAfterSeconds?: Maybe<Scalars['Int']['output']>;
  /** 0 to 100: an estimate from the text streamed so far while RUNNING, 100 once SUCCEEDED. */
  progress: Scalars['Int']['output'];
  /** The prompt template's version the result was produced with, e.g. content@2026-12-01.1. */
  promptVersion: Scalars['String']['output'];
  /** The provider that answered (offline: the built-in generator, no model). */
  provider?: Maybe<Scalars['String']['output']>;
  /** The task's structured output once SUCCEEDED; it matches the task's output schema. */
  result?: Maybe<Scalars['JSON']['output']>;
  startedAt?: Maybe<Scalars['DateTime']['output']>;
  status: GenerationJobStatus;
  task: AiTask;
  /** True when a provider reported no usage and the tokens were counted with a tokenizer. */
  tokensEstimated: Scalars['Boolean']['output'];
  updatedAt: Scalars['DateTime']['output'];
};

export type GenerationJobConnection = {
  __typename?: 'GenerationJobConnection';
  nodes: Array<GenerationJob>;
  pageInfo: PageInfo;
};

export type GenerationJobStatus =
  | 'FAILED'
  | 'QUEUED'
  | 'RUNNING'
  | 'SUCCEEDED';

export type Mutation = {
  __typename?: 'Mutation';
  /** Creates a DRAFT for a project. */
  createContent: Content;
  replayCreationDeadLetter: DeadLetterReplay;
  /** Replays every pending dead letter of the caller's organization. */
  replayCreationDeadLetters: DeadLetterReplaySummary;
  /** Sets the organization's monthly AI budget (OWNER and ADMIN). */
  setAiBudget: AiBudget;
  /**
   * Starts an AI generation and returns its job at once (QUEUED). Refused with BUDGET_EXCEEDED, and no job made, when
   * the organization's monthly AI budget is spent.
   */
  startGeneration: GenerationJob;
};


export type MutationCreateContentArgs = {
  input: CreateContentInput;
};


export type MutationReplayCreationDeadLetterArgs = {
  id: Scalars['ID']['input'];
};


export type MutationSetAiBudgetArgs = {
  input: SetAiBudgetInput;
};


export type MutationStartGenerationArgs = {
  input: StartGenerationInput;
};

export type PageInfo = {
  __typename?: 'PageInfo';
  /** Pass as `after` to get the next page. */
  endCursor?: Maybe<Scalars['String']['output']>;
  hasNextPage: Scalars['Boolean']['output'];
};

export type Project = {
  __typename?: 'Project';
  /** The creative brief opened when the project was created (null until then). */
  brief?: Maybe<Brief>;
  /** The content written for the project, oldest first. */
  contents: ContentConnection;
  id: Scalars['ID']['output'];
};


export type ProjectContentsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
};

export type Query = {
  __typename?: 'Query';
  /** The organization's AI calls, newest first, with their tokens and cost (OWNER and ADMIN). */
  aiCalls: AiCallConnection;
  /** AI usage and cost for a month (default: this one), by agent and by model (OWNER and ADMIN). */
  aiUsage: AiUsage;
  content?: Maybe<Content>;
  /** The organization's content, oldest first. */
  contents: ContentConnection;
  /** Events the creation subgraph could not process, newest failure first (OWNER and ADMIN; own organization only). */
  creationDeadLetters: DeadLetterConnection;
  /** One AI generation job of the organization (null if there is none with that id). */
  generationJob?: Maybe<GenerationJob>;
  /** The organization's AI generation jobs, newest first. */
  generationJobs: GenerationJobConnection;
};


export type QueryAiCallsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  jobId?: InputMaybe<Scalars['ID']['input']>;
};


export type QueryAiUsageArgs = {
  month?: InputMaybe<Scalars['String']['input']>;
};


export type QueryContentArgs = {
  id: Scalars['ID']['input'];
};


export type QueryContentsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
};


export type QueryCreationDeadLettersArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  status?: InputMaybe<DeadLetterStatus>;
};


export type QueryGenerationJobArgs = {
  id: Scalars['ID']['input'];
};


export type QueryGenerationJobsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  status?: InputMaybe<GenerationJobStatus>;
};

export type SetAiBudgetInput = {
  /** 0 refuses every generation that would call a model. */
  monthlyLimitCents: Scalars['Int']['input'];
  /** Percent of the limit at which the warning fires (1 to 100); the platform default when left out. */
  warningPercent?: InputMaybe<Scalars['Int']['input']>;
};

export type StartGenerationInput = {
  /** The task's input, checked against its schema (docs/ai.md lists each task's fields); errors name the field. */
  input: Scalars['JSON']['input'];
  task: AiTask;
};



export type ResolverTypeWrapper<T> = Promise<T> | T;

export type ReferenceResolver<TResult, TReference, TContext> = (
      reference: TReference,
      context: TContext,
      info: GraphQLResolveInfo
    ) => Promise<TResult> | TResult;

      type ScalarCheck<T, S> = S extends true ? T : NullableCheck<T, S>;
      type NullableCheck<T, S> = Maybe<T> extends T ? Maybe<ListCheck<NonNullable<T>, S>> : ListCheck<T, S>;
      type ListCheck<T, S> = T extends (infer U)[] ? NullableCheck<U, S>[] : GraphQLRecursivePick<T, S>;
      export type GraphQLRecursivePick<T, S> = { [K in keyof T & keyof S]: ScalarCheck<T[K], S[K]> };
    

export type ResolverWithResolve<TResult, TParent, TContext, TArgs> = {
  resolve: ResolverFn<TResult, TParent, TContext, TArgs>;
};
export type Resolver<TResult, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>, TArgs = Record<PropertyKey, never>> = ResolverFn<TResult, TParent, TContext, TArgs> | ResolverWithResolve<TResult, TParent, TContext, TArgs>;

export type ResolverFn<TResult, TParent, TContext, TArgs> = (
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => Promise<TResult> | TResult;

export type SubscriptionSubscribeFn<TResult, TParent, TContext, TArgs> = (
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => AsyncIterable<TResult> | Promise<AsyncIterable<TResult>>;

export type SubscriptionResolveFn<TResult, TParent, TContext, TArgs> = (
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => TResult | Promise<TResult>;

export interface SubscriptionSubscriberObject<TResult, TKey extends string, TParent, TContext, TArgs> {
  subscribe: SubscriptionSubscribeFn<{ [key in TKey]: TResult }, TParent, TContext, TArgs>;
  resolve?: SubscriptionResolveFn<TResult, { [key in TKey]: TResult }, TContext, TArgs>;
}

export interface SubscriptionResolverObject<TResult, TParent, TContext, TArgs> {
  subscribe: SubscriptionSubscribeFn<any, TParent, TContext, TArgs>;
  resolve: SubscriptionResolveFn<TResult, any, TContext, TArgs>;
}

export type SubscriptionObject<TResult, TKey extends string, TParent, TContext, TArgs> =
  | SubscriptionSubscriberObject<TResult, TKey, TParent, TContext, TArgs>
  | SubscriptionResolverObject<TResult, TParent, TContext, TArgs>;

export type SubscriptionResolver<TResult, TKey extends string, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>, TArgs = Record<PropertyKey, never>> =
  | ((...args: any[]) => SubscriptionObject<TResult, TKey, TParent, TContext, TArgs>)
  | SubscriptionObject<TResult, TKey, TParent, TContext, TArgs>;

export type TypeResolveFn<TTypes, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>> = (
  parent: TParent,
  context: TContext,
  info: GraphQLResolveInfo
) => Maybe<TTypes> | Promise<Maybe<TTypes>>;

export type IsTypeOfResolverFn<T = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>> = (obj: T, context: TContext, info: GraphQLResolveInfo) => boolean | Promise<boolean>;

export type NextResolverFn<T> = () => Promise<T>;

export type DirectiveResolverFn<TResult = Record<PropertyKey, never>, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>, TArgs = Record<PropertyKey, never>> = (
  next: NextResolverFn<TResult>,
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => TResult | Promise<TResult>;

/** Mapping of federation types */
export type FederationTypes = {
  Content: Content;
  GenerationJob: GenerationJob;
  Project: Project;
};

/** Mapping of federation reference types */
export type FederationReferenceTypes = {
  Content:
    ( { __typename: 'Content' }
    & GraphQLRecursivePick<FederationTypes['Content'], {"id":true}> );
  GenerationJob:
    ( { __typename: 'GenerationJob' }
    & GraphQLRecursivePick<FederationTypes['GenerationJob'], {"id":true}> );
  Project:
    ( { __typename: 'Project' }
    & GraphQLRecursivePick<FederationTypes['Project'], {"id":true}> );
};



/** Mapping between all available schema types and the resolvers types */
export type ResolversTypes = {
  AiBudget: ResolverTypeWrapper<BudgetStatus>;
  Boolean: ResolverTypeWrapper<Scalars['Boolean']['output']>;
  String: ResolverTypeWrapper<Scalars['String']['output']>;
  Int: ResolverTypeWrapper<Scalars['Int']['output']>;
  Float: ResolverTypeWrapper<Scalars['Float']['output']>;
  AiBudgetState: AiBudgetState;
  AiCall: ResolverTypeWrapper<AiCallRow>;
  ID: ResolverTypeWrapper<Scalars['ID']['output']>;
  AiCallConnection: ResolverTypeWrapper<AiCallConnectionModel>;
  AiTask: AiTask;
  AiUsage: ResolverTypeWrapper<AiUsageReport>;
  AiUsageLine: ResolverTypeWrapper<AiUsageLine>;
  Brief: ResolverTypeWrapper<BriefRow>;
  BriefStatus: BriefStatus;
  Channel: Channel;
  Content: ResolverTypeWrapper<ContentRow>;
  ContentConnection: ResolverTypeWrapper<ContentConnectionModel>;
  ContentStatus: ContentStatus;
  CreateContentInput: CreateContentInput;
  DateTime: ResolverTypeWrapper<Scalars['DateTime']['output']>;
  DeadLetter: ResolverTypeWrapper<StoredDeadLetter>;
  DeadLetterConnection: ResolverTypeWrapper<Omit<DeadLetterConnection, 'nodes'> & { nodes: Array<ResolversTypes['DeadLetter']> }>;
  DeadLetterReason: DeadLetterReason;
  DeadLetterReplay: ResolverTypeWrapper<DeadLetterReplay>;
  DeadLetterReplaySummary: ResolverTypeWrapper<DeadLetterReplaySummary>;
  DeadLetterStatus: DeadLetterStatus;
  GenerationError: ResolverTypeWrapper<GenerationError>;
  GenerationJob: ResolverTypeWrapper<GenerationJobRow>;
  GenerationJobConnection: ResolverTypeWrapper<GenerationJobConnectionModel>;
  GenerationJobStatus: GenerationJobStatus;
  JSON: ResolverTypeWrapper<Scalars['JSON']['output']>;
  Mutation: ResolverTypeWrapper<Record<PropertyKey, never>>;
  PageInfo: ResolverTypeWrapper<PageInfo>;
  Project: ResolverTypeWrapper<ProjectRef>;
  Query: ResolverTypeWrapper<Record<PropertyKey, never>>;
  SetAiBudgetInput: SetAiBudgetInput;
  StartGenerationInput: StartGenerationInput;
};

/** Mapping between all available schema types and the resolvers parents */
export type ResolversParentTypes = {
  AiBudget: BudgetStatus;
  Boolean: Scalars['Boolean']['output'];
  String: Scalars['String']['output'];
  Int: Scalars['Int']['output'];
  Float: Scalars['Float']['output'];
  AiCall: AiCallRow;
  ID: Scalars['ID']['output'];
  AiCallConnection: AiCallConnectionModel;
  AiUsage: AiUsageReport;
  AiUsageLine: AiUsageLine;
  Brief: BriefRow;
  Content: ContentRow;
  ContentConnection: ContentConnectionModel;
  CreateContentInput: CreateContentInput;
  DateTime: Scalars['DateTime']['output'];
  DeadLetter: StoredDeadLetter;
  DeadLetterConnection: Omit<DeadLetterConnection, 'nodes'> & { nodes: Array<ResolversParentTypes['DeadLetter']> };
  DeadLetterReplay: DeadLetterReplay;
  DeadLetterReplaySummary: DeadLetterReplaySummary;
  GenerationError: GenerationError;
  GenerationJob: GenerationJobRow;
  GenerationJobConnection: GenerationJobConnectionModel;
  JSON: Scalars['JSON']['output'];
  Mutation: Record<PropertyKey, never>;
  PageInfo: PageInfo;
  Project: ProjectRef;
  Query: Record<PropertyKey, never>;
  SetAiBudgetInput: SetAiBudgetInput;
  StartGenerationInput: StartGenerationInput;
};

export type AiBudgetResolvers<ContextType = Context, ParentType extends ResolversParentTypes['AiBudget'] = ResolversParentTypes['AiBudget']> = {
  isDefault?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  month?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  monthlyLimitCents?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  spentMicroUsd?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  state?: Resolver<ResolversTypes['AiBudgetState'], ParentType, ContextType>;
  warningPercent?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
};

export type AiCallResolvers<ContextType = Context, ParentType extends ResolversParentTypes['AiCall'] = ResolversParentTypes['AiCall']> = {
  agent?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  costMicroUsd?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  inputTokens?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  job?: Resolver<Maybe<ResolversTypes['GenerationJob']>, ParentType, ContextType>;
  model?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  outcome?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  outputTokens?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  priced?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  provider?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  task?: Resolver<ResolversTypes['AiTask'], ParentType, ContextType>;
  tokensEstimated?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
};

export type AiCallConnectionResolvers<ContextType = Context, ParentType extends ResolversParentTypes['AiCallConnection'] = ResolversParentTypes['AiCallConnection']> = {
  nodes?: Resolver<Array<ResolversTypes['AiCall']>, ParentType, ContextType>;
  pageInfo?: Resolver<ResolversTypes['PageInfo'], ParentType, ContextType>;
};

export type AiUsageResolvers<ContextType = Context, ParentType extends ResolversParentTypes['AiUsage'] = ResolversParentTypes['AiUsage']> = {
  budget?: Resolver<ResolversTypes['AiBudget'], ParentType, ContextType>;
  byAgent?: Resolver<Array<ResolversTypes['AiUsageLine']>, ParentType, ContextType>;
  byModel?: Resolver<Array<ResolversTypes['AiUsageLine']>, ParentType, ContextType>;
  month?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  total?: Resolver<ResolversTypes['AiUsageLine'], ParentType, ContextType>;
};

export type AiUsageLineResolvers<ContextType = Context, ParentType extends ResolversParentTypes['AiUsageLine'] = ResolversParentTypes['AiUsageLine']> = {
  agent?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  allPriced?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  cachedAnswers?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  calls?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  costMicroUsd?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  inputTokens?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  model?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  outputTokens?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  provider?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
};

export type BriefResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Brief'] = ResolversParentTypes['Brief']> = {
  openedAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  projectType?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  status?: Resolver<ResolversTypes['BriefStatus'], ParentType, ContextType>;
  title?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
};

export type ContentResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Content'] = ResolversParentTypes['Content'], FederationReferenceType extends FederationReferenceTypes['Content'] = FederationReferenceTypes['Content']> = {
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['Content']> | FederationReferenceType, FederationReferenceType, ContextType>;
  body?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  channel?: Resolver<ResolversTypes['Channel'], ParentType, ContextType>;
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  project?: Resolver<Maybe<ResolversTypes['Project']>, ParentType, ContextType>;
  status?: Resolver<ResolversTypes['ContentStatus'], ParentType, ContextType>;
  title?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  updatedAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
};

export type ContentConnectionResolvers<ContextType = Context, ParentType extends ResolversParentTypes['ContentConnection'] = ResolversParentTypes['ContentConnection']> = {
  nodes?: Resolver<Array<ResolversTypes['Content']>, ParentType, ContextType>;
  pageInfo?: Resolver<ResolversTypes['PageInfo'], ParentType, ContextType>;
};

export interface DateTimeScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['DateTime'], any> {
  name: 'DateTime';
}

export type DeadLetterResolvers<ContextType = Context, ParentType extends ResolversParentTypes['DeadLetter'] = ResolversParentTypes['DeadLetter']> = {
  attempts?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  envelope?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  error?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  eventId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  firstFailedAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  lastFailedAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  reason?: Resolver<ResolversTypes['DeadLetterReason'], ParentType, ContextType>;
  replayedAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  type?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
};

export type DeadLetterConnectionResolvers<ContextType = Context, ParentType extends ResolversParentTypes['DeadLetterConnection'] = ResolversParentTypes['DeadLetterConnection']> = {
  nodes?: Resolver<Array<ResolversTypes['DeadLetter']>, ParentType, ContextType>;
  pageInfo?: Resolver<ResolversTypes['PageInfo'], ParentType, ContextType>;
};

export type DeadLetterReplayResolvers<ContextType = Context, ParentType extends ResolversParentTypes['DeadLetterReplay'] = ResolversParentTypes['DeadLetterReplay']> = {
  error?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  outcome?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
};

export type DeadLetterReplaySummaryResolvers<ContextType = Context, ParentType extends ResolversParentTypes['DeadLetterReplaySummary'] = ResolversParentTypes['DeadLetterReplaySummary']> = {
  alreadyProcessed?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  applied?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  failed?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
};

export type GenerationErrorResolvers<ContextType = Context, ParentType extends ResolversParentTypes['GenerationError'] = ResolversParentTypes['GenerationError']> = {
  code?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  message?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
};

export type GenerationJobResolvers<ContextType = Context, ParentType extends ResolversParentTypes['GenerationJob'] = ResolversParentTypes['GenerationJob'], FederationReferenceType extends FederationReferenceTypes['GenerationJob'] = FederationReferenceTypes['GenerationJob']> = {
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['GenerationJob']> | FederationReferenceType, FederationReferenceType, ContextType>;
  attempts?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  cached?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  costMicroUsd?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  error?: Resolver<Maybe<ResolversTypes['GenerationError']>, ParentType, ContextType>;
  finishedAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  input?: Resolver<ResolversTypes['JSON'], ParentType, ContextType>;
  inputTokens?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  model?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  offline?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  outputTokens?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  pollAfterSeconds?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
  progress?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  promptVersion?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  provider?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  result?: Resolver<Maybe<ResolversTypes['JSON']>, ParentType, ContextType>;
  startedAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  status?: Resolver<ResolversTypes['GenerationJobStatus'], ParentType, ContextType>;
  task?: Resolver<ResolversTypes['AiTask'], ParentType, ContextType>;
  tokensEstimated?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  updatedAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
};

export type GenerationJobConnectionResolvers<ContextType = Context, ParentType extends ResolversParentTypes['GenerationJobConnection'] = ResolversParentTypes['GenerationJobConnection']> = {
  nodes?: Resolver<Array<ResolversTypes['GenerationJob']>, ParentType, ContextType>;
  pageInfo?: Resolver<ResolversTypes['PageInfo'], ParentType, ContextType>;
};

export interface JsonScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['JSON'], any> {
  name: 'JSON';
}

export type MutationResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Mutation'] = ResolversParentTypes['Mutation']> = {
  createContent?: Resolver<ResolversTypes['Content'], ParentType, ContextType, RequireFields<MutationCreateContentArgs, 'input'>>;
  replayCreationDeadLetter?: Resolver<ResolversTypes['DeadLetterReplay'], ParentType, ContextType, RequireFields<MutationReplayCreationDeadLetterArgs, 'id'>>;
  replayCreationDeadLetters?: Resolver<ResolversTypes['DeadLetterReplaySummary'], ParentType, ContextType>;
  setAiBudget?: Resolver<ResolversTypes['AiBudget'], ParentType, ContextType, RequireFields<MutationSetAiBudgetArgs, 'input'>>;
  startGeneration?: Resolver<ResolversTypes['GenerationJob'], ParentType, ContextType, RequireFields<MutationStartGenerationArgs, 'input'>>;
};

export type PageInfoResolvers<ContextType = Context, ParentType extends ResolversParentTypes['PageInfo'] = ResolversParentTypes['PageInfo']> = {
  endCursor?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  hasNextPage?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
};

export type ProjectResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Project'] = ResolversParentTypes['Project'], FederationReferenceType extends FederationReferenceTypes['Project'] = FederationReferenceTypes['Project']> = {
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['Project']> | FederationReferenceType, FederationReferenceType, ContextType>;
  brief?: Resolver<Maybe<ResolversTypes['Brief']>, ParentType, ContextType>;
  contents?: Resolver<ResolversTypes['ContentConnection'], ParentType, ContextType, RequireFields<ProjectContentsArgs, 'first'>>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
};

export type QueryResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Query'] = ResolversParentTypes['Query']> = {
  aiCalls?: Resolver<ResolversTypes['AiCallConnection'], ParentType, ContextType, RequireFields<QueryAiCallsArgs, 'first'>>;
  aiUsage?: Resolver<ResolversTypes['AiUsage'], ParentType, ContextType, Partial<QueryAiUsageArgs>>;
  content?: Resolver<Maybe<ResolversTypes['Content']>, ParentType, ContextType, RequireFields<QueryContentArgs, 'id'>>;
  contents?: Resolver<ResolversTypes['ContentConnection'], ParentType, ContextType, RequireFields<QueryContentsArgs, 'first'>>;
  creationDeadLetters?: Resolver<ResolversTypes['DeadLetterConnection'], ParentType, ContextType, RequireFields<QueryCreationDeadLettersArgs, 'first' | 'status'>>;
  generationJob?: Resolver<Maybe<ResolversTypes['GenerationJob']>, ParentType, ContextType, RequireFields<QueryGenerationJobArgs, 'id'>>;
  generationJobs?: Resolver<ResolversTypes['GenerationJobConnection'], ParentType, ContextType, RequireFields<QueryGenerationJobsArgs, 'first'>>;
};

export type Resolvers<ContextType = Context> = {
  AiBudget?: AiBudgetResolvers<ContextType>;
  AiCall?: AiCallResolvers<ContextType>;
  AiCallConnection?: AiCallConnectionResolvers<ContextType>;
  AiUsage?: AiUsageResolvers<ContextType>;
  AiUsageLine?: AiUsageLineResolvers<ContextType>;
  Brief?: BriefResolvers<ContextType>;
  Content?: ContentResolvers<ContextType>;
  ContentConnection?: ContentConnectionResolvers<ContextType>;
  DateTime?: GraphQLScalarType;
  DeadLetter?: DeadLetterResolvers<ContextType>;
  DeadLetterConnection?: DeadLetterConnectionResolvers<ContextType>;
  DeadLetterReplay?: DeadLetterReplayResolvers<ContextType>;
  DeadLetterReplaySummary?: DeadLetterReplaySummaryResolvers<ContextType>;
  GenerationError?: GenerationErrorResolvers<ContextType>;
  GenerationJob?: GenerationJobResolvers<ContextType>;
  GenerationJobConnection?: GenerationJobConnectionResolvers<ContextType>;
  JSON?: GraphQLScalarType;
  Mutation?: MutationResolvers<ContextType>;
  PageInfo?: PageInfoResolvers<ContextType>;
  Project?: ProjectResolvers<ContextType>;
  Query?: QueryResolvers<ContextType>;
};


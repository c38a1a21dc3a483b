import type { GraphQLResolveInfo, GraphQLScalarType, GraphQLScalarTypeConfig } from 'graphql';
import type { ContentRef, PublicationRow, PublicationConnectionModel } from '../db/schema';
import type { StoredDeadLetter } from '@umt/infra';
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
  _FieldSet: { input: unknown; output: unknown; }
};

/** Where content is published. */
export type Channel =
  | 'BLOG'
  | 'EMAIL'
  | 'FACEBOOK'
  | 'INSTAGRAM'
  | 'LINKEDIN'
  | 'TIKTOK'
  | 'X';

export type Content = {
  __typename?: 'Content';
  id: Scalars['ID']['output'];
  /** Where and when the content goes out, soonest first. */
  publications: PublicationConnection;
};


export type ContentPublicationsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
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

export type Mutation = {
  __typename?: 'Mutation';
  replayCampaignsDeadLetter: DeadLetterReplay;
  /** Replays every pending dead letter of the caller's organization. */
  replayCampaignsDeadLetters: DeadLetterReplaySummary;
  schedulePublication: Publication;
};


export type MutationReplayCampaignsDeadLetterArgs = {
  id: Scalars['ID']['input'];
};


export type MutationSchedulePublicationArgs = {
  input: SchedulePublicationInput;
};

export type PageInfo = {
  __typename?: 'PageInfo';
  /** Pass as `after` to get the next page. */
  endCursor?: Maybe<Scalars['String']['output']>;
  hasNextPage: Scalars['Boolean']['output'];
};

/** Content going out on a channel at a set time. */
export type Publication = {
  __typename?: 'Publication';
  channel: Channel;
  /** Null when the content is not (or no longer) visible to the caller. */
  content?: Maybe<Content>;
  createdAt: Scalars['DateTime']['output'];
  /** The platform's URL once published. */
  externalUrl?: Maybe<Scalars['String']['output']>;
  id: Scalars['ID']['output'];
  scheduledAt: Scalars['DateTime']['output'];
  status: PublicationStatus;
  updatedAt: Scalars['DateTime']['output'];
};

export type PublicationConnection = {
  __typename?: 'PublicationConnection';
  nodes: Array<Publication>;
  pageInfo: PageInfo;
};

export type PublicationStatus =
  | 'CANCELLED'
  | 'FAILED'
  | 'PUBLISHED'
  | 'PUBLISHING'
  | 'SCHEDULED';

export type Query = {
  __typename?: 'Query';
  /** Events the campaigns subgraph could not process, newest failure first (OWNER and ADMIN; own organization only). */
  campaignsDeadLetters: DeadLetterConnection;
  publication?: Maybe<Publication>;
  /** The organization's publications, soonest first. */
  publications: PublicationConnection;
};


export type QueryCampaignsDeadLettersArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  status?: InputMaybe<DeadLetterStatus>;
};


export type QueryPublicationArgs = {
  id: Scalars['ID']['input'];
};


export type QueryPublicationsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
};

export type SchedulePublicationInput = {
  channel: Channel;
  contentId: Scalars['ID']['input'];
  /** Must not be in the past. */
  scheduledAt: Scalars['DateTime']['input'];
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
  Publication: Publication;
};

/** Mapping of federation reference types */
export type FederationReferenceTypes = {
  Content:
    ( { __typename: 'Content' }
    & GraphQLRecursivePick<FederationTypes['Content'], {"id":true}> );
  Publication:
    ( { __typename: 'Publication' }
    & GraphQLRecursivePick<FederationTypes['Publication'], {"id":true}> );
};



/** Mapping between all available schema types and the resolvers types */
export type ResolversTypes = {
  Channel: Channel;
  Content: ResolverTypeWrapper<ContentRef>;
  ID: ResolverTypeWrapper<Scalars['ID']['output']>;
  String: ResolverTypeWrapper<Scalars['String']['output']>;
  Int: ResolverTypeWrapper<Scalars['Int']['output']>;
  DateTime: ResolverTypeWrapper<Scalars['DateTime']['output']>;
  DeadLetter: ResolverTypeWrapper<StoredDeadLetter>;
  DeadLetterConnection: ResolverTypeWrapper<Omit<DeadLetterConnection, 'nodes'> & { nodes: Array<ResolversTypes['DeadLetter']> }>;
  DeadLetterReason: DeadLetterReason;
  DeadLetterReplay: ResolverTypeWrapper<DeadLetterReplay>;
  DeadLetterReplaySummary: ResolverTypeWrapper<DeadLetterReplaySummary>;
  DeadLetterStatus: DeadLetterStatus;
  Mutation: ResolverTypeWrapper<Record<PropertyKey, never>>;
  PageInfo: ResolverTypeWrapper<PageInfo>;
  Boolean: ResolverTypeWrapper<Scalars['Boolean']['output']>;
  Publication: ResolverTypeWrapper<PublicationRow>;
  PublicationConnection: ResolverTypeWrapper<PublicationConnectionModel>;
  PublicationStatus: PublicationStatus;
  Query: ResolverTypeWrapper<Record<PropertyKey, never>>;
  SchedulePublicationInput: SchedulePublicationInput;
};

/** Mapping between all available schema types and the resolvers parents */
export type ResolversParentTypes = {
  Content: ContentRef;
  ID: Scalars['ID']['output'];
  String: Scalars['String']['output'];
  Int: Scalars['Int']['output'];
  DateTime: Scalars['DateTime']['output'];
  DeadLetter: StoredDeadLetter;
  DeadLetterConnection: Omit<DeadLetterConnection, 'nodes'> & { nodes: Array<ResolversParentTypes['DeadLetter']> };
  DeadLetterReplay: DeadLetterReplay;
  DeadLetterReplaySummary: DeadLetterReplaySummary;
  Mutation: Record<PropertyKey, never>;
  PageInfo: PageInfo;
  Boolean: Scalars['Boolean']['output'];
  Publication: PublicationRow;
  PublicationConnection: PublicationConnectionModel;
  Query: Record<PropertyKey, never>;
  SchedulePublicationInput: SchedulePublicationInput;
};

export type ContentResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Content'] = ResolversParentTypes['Content'], FederationReferenceType extends FederationReferenceTypes['Content'] = FederationReferenceTypes['Content']> = {
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['Content']> | FederationReferenceType, FederationReferenceType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  publications?: Resolver<ResolversTypes['PublicationConnection'], ParentType, ContextType, RequireFields<ContentPublicationsArgs, 'first'>>;
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

export type MutationResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Mutation'] = ResolversParentTypes['Mutation']> = {
  replayCampaignsDeadLetter?: Resolver<ResolversTypes['DeadLetterReplay'], ParentType, ContextType, RequireFields<MutationReplayCampaignsDeadLetterArgs, 'id'>>;
  replayCampaignsDeadLetters?: Resolver<ResolversTypes['DeadLetterReplaySummary'], ParentType, ContextType>;
  schedulePublication?: Resolver<ResolversTypes['Publication'], ParentType, ContextType, RequireFields<MutationSchedulePublicationArgs, 'input'>>;
};

export type PageInfoResolvers<ContextType = Context, ParentType extends ResolversParentTypes['PageInfo'] = ResolversParentTypes['PageInfo']> = {
  endCursor?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  hasNextPage?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
};

export type PublicationResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Publication'] = ResolversParentTypes['Publication'], FederationReferenceType extends FederationReferenceTypes['Publication'] = FederationReferenceTypes['Publication']> = {
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['Publication']> | FederationReferenceType, FederationReferenceType, ContextType>;
  channel?: Resolver<ResolversTypes['Channel'], ParentType, ContextType>;
  content?: Resolver<Maybe<ResolversTypes['Content']>, ParentType, ContextType>;
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  externalUrl?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  scheduledAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  status?: Resolver<ResolversTypes['PublicationStatus'], ParentType, ContextType>;
  updatedAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
};

export type PublicationConnectionResolvers<ContextType = Context, ParentType extends ResolversParentTypes['PublicationConnection'] = ResolversParentTypes['PublicationConnection']> = {
  nodes?: Resolver<Array<ResolversTypes['Publication']>, ParentType, ContextType>;
  pageInfo?: Resolver<ResolversTypes['PageInfo'], ParentType, ContextType>;
};

export type QueryResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Query'] = ResolversParentTypes['Query']> = {
  campaignsDeadLetters?: Resolver<ResolversTypes['DeadLetterConnection'], ParentType, ContextType, RequireFields<QueryCampaignsDeadLettersArgs, 'first' | 'status'>>;
  publication?: Resolver<Maybe<ResolversTypes['Publication']>, ParentType, ContextType, RequireFields<QueryPublicationArgs, 'id'>>;
  publications?: Resolver<ResolversTypes['PublicationConnection'], ParentType, ContextType, RequireFields<QueryPublicationsArgs, 'first'>>;
};

export type Resolvers<ContextType = Context> = {
  Content?: ContentResolvers<ContextType>;
  DateTime?: GraphQLScalarType;
  DeadLetter?: DeadLetterResolvers<ContextType>;
  DeadLetterConnection?: DeadLetterConnectionResolvers<ContextType>;
  DeadLetterReplay?: DeadLetterReplayResolvers<ContextType>;
  DeadLetterReplaySummary?: DeadLetterReplaySummaryResolvers<ContextType>;
  Mutation?: MutationResolvers<ContextType>;
  PageInfo?: PageInfoResolvers<ContextType>;
  Publication?: PublicationResolvers<ContextType>;
  PublicationConnection?: PublicationConnectionResolvers<ContextType>;
  Query?: QueryResolvers<ContextType>;
};


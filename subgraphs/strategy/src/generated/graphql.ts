import type { GraphQLResolveInfo, GraphQLScalarType, GraphQLScalarTypeConfig } from 'graphql';
import type { BrandRef, CalendarEntryRow, CalendarEntryConnectionModel, BrandPlanningRow } from '../db/schema';
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

export type Brand = {
  __typename?: 'Brand';
  /** The brand's content calendar, soonest first. */
  calendar: CalendarEntryConnection;
  id: Scalars['ID']['output'];
  /** Strategy's planning space for the brand, prepared when the brand is created (null until then). */
  planning?: Maybe<BrandPlanning>;
};


export type BrandCalendarArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
};

export type BrandPlanning = {
  __typename?: 'BrandPlanning';
  brandName: Scalars['String']['output'];
  preparedAt: Scalars['DateTime']['output'];
};

/** A slot in a brand's content calendar: what goes out on which channel, when. */
export type CalendarEntry = {
  __typename?: 'CalendarEntry';
  /** Null when the brand is not (or no longer) visible to the caller. */
  brand?: Maybe<Brand>;
  channel: Channel;
  createdAt: Scalars['DateTime']['output'];
  id: Scalars['ID']['output'];
  notes?: Maybe<Scalars['String']['output']>;
  scheduledAt: Scalars['DateTime']['output'];
  status: CalendarEntryStatus;
  title: Scalars['String']['output'];
  updatedAt: Scalars['DateTime']['output'];
};

export type CalendarEntryConnection = {
  __typename?: 'CalendarEntryConnection';
  nodes: Array<CalendarEntry>;
  pageInfo: PageInfo;
};

export type CalendarEntryStatus =
  | 'CANCELLED'
  | 'DONE'
  | 'PLANNED'
  | 'SCHEDULED';

/** Where content is published. */
export type Channel =
  | 'BLOG'
  | 'EMAIL'
  | 'FACEBOOK'
  | 'INSTAGRAM'
  | 'LINKEDIN'
  | 'TIKTOK'
  | 'X';

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
  /** Adds a PLANNED entry to a brand's calendar. */
  planCalendarEntry: CalendarEntry;
  replayStrategyDeadLetter: DeadLetterReplay;
  /** Replays every pending dead letter of the caller's organization. */
  replayStrategyDeadLetters: DeadLetterReplaySummary;
};


export type MutationPlanCalendarEntryArgs = {
  input: PlanCalendarEntryInput;
};


export type MutationReplayStrategyDeadLetterArgs = {
  id: Scalars['ID']['input'];
};

export type PageInfo = {
  __typename?: 'PageInfo';
  /** Pass as `after` to get the next page. */
  endCursor?: Maybe<Scalars['String']['output']>;
  hasNextPage: Scalars['Boolean']['output'];
};

export type PlanCalendarEntryInput = {
  brandId: Scalars['ID']['input'];
  channel: Channel;
  notes?: InputMaybe<Scalars['String']['input']>;
  scheduledAt: Scalars['DateTime']['input'];
  title: Scalars['String']['input'];
};

export type Query = {
  __typename?: 'Query';
  calendarEntry?: Maybe<CalendarEntry>;
  /** Events the strategy subgraph could not process, newest failure first (OWNER and ADMIN; own organization only). */
  strategyDeadLetters: DeadLetterConnection;
};


export type QueryCalendarEntryArgs = {
  id: Scalars['ID']['input'];
};


export type QueryStrategyDeadLettersArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  status?: InputMaybe<DeadLetterStatus>;
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
  Brand: Brand;
  CalendarEntry: CalendarEntry;
};

/** Mapping of federation reference types */
export type FederationReferenceTypes = {
  Brand:
    ( { __typename: 'Brand' }
    & GraphQLRecursivePick<FederationTypes['Brand'], {"id":true}> );
  CalendarEntry:
    ( { __typename: 'CalendarEntry' }
    & GraphQLRecursivePick<FederationTypes['CalendarEntry'], {"id":true}> );
};



/** Mapping between all available schema types and the resolvers types */
export type ResolversTypes = {
  Brand: ResolverTypeWrapper<BrandRef>;
  String: ResolverTypeWrapper<Scalars['String']['output']>;
  Int: ResolverTypeWrapper<Scalars['Int']['output']>;
  ID: ResolverTypeWrapper<Scalars['ID']['output']>;
  BrandPlanning: ResolverTypeWrapper<BrandPlanningRow>;
  CalendarEntry: ResolverTypeWrapper<CalendarEntryRow>;
  CalendarEntryConnection: ResolverTypeWrapper<CalendarEntryConnectionModel>;
  CalendarEntryStatus: CalendarEntryStatus;
  Channel: Channel;
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
  PlanCalendarEntryInput: PlanCalendarEntryInput;
  Query: ResolverTypeWrapper<Record<PropertyKey, never>>;
};

/** Mapping between all available schema types and the resolvers parents */
export type ResolversParentTypes = {
  Brand: BrandRef;
  String: Scalars['String']['output'];
  Int: Scalars['Int']['output'];
  ID: Scalars['ID']['output'];
  BrandPlanning: BrandPlanningRow;
  CalendarEntry: CalendarEntryRow;
  CalendarEntryConnection: CalendarEntryConnectionModel;
  DateTime: Scalars['DateTime']['output'];
  DeadLetter: StoredDeadLetter;
  DeadLetterConnection: Omit<DeadLetterConnection, 'nodes'> & { nodes: Array<ResolversParentTypes['DeadLetter']> };
  DeadLetterReplay: DeadLetterReplay;
  DeadLetterReplaySummary: DeadLetterReplaySummary;
  Mutation: Record<PropertyKey, never>;
  PageInfo: PageInfo;
  Boolean: Scalars['Boolean']['output'];
  PlanCalendarEntryInput: PlanCalendarEntryInput;
  Query: Record<PropertyKey, never>;
};

export type BrandResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Brand'] = ResolversParentTypes['Brand'], FederationReferenceType extends FederationReferenceTypes['Brand'] = FederationReferenceTypes['Brand']> = {
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['Brand']> | FederationReferenceType, FederationReferenceType, ContextType>;
  calendar?: Resolver<ResolversTypes['CalendarEntryConnection'], ParentType, ContextType, RequireFields<BrandCalendarArgs, 'first'>>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  planning?: Resolver<Maybe<ResolversTypes['BrandPlanning']>, ParentType, ContextType>;
};

export type BrandPlanningResolvers<ContextType = Context, ParentType extends ResolversParentTypes['BrandPlanning'] = ResolversParentTypes['BrandPlanning']> = {
  brandName?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  preparedAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
};

export type CalendarEntryResolvers<ContextType = Context, ParentType extends ResolversParentTypes['CalendarEntry'] = ResolversParentTypes['CalendarEntry'], FederationReferenceType extends FederationReferenceTypes['CalendarEntry'] = FederationReferenceTypes['CalendarEntry']> = {
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['CalendarEntry']> | FederationReferenceType, FederationReferenceType, ContextType>;
  brand?: Resolver<Maybe<ResolversTypes['Brand']>, ParentType, ContextType>;
  channel?: Resolver<ResolversTypes['Channel'], ParentType, ContextType>;
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  notes?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  scheduledAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  status?: Resolver<ResolversTypes['CalendarEntryStatus'], ParentType, ContextType>;
  title?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  updatedAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
};

export type CalendarEntryConnectionResolvers<ContextType = Context, ParentType extends ResolversParentTypes['CalendarEntryConnection'] = ResolversParentTypes['CalendarEntryConnection']> = {
  nodes?: Resolver<Array<ResolversTypes['CalendarEntry']>, ParentType, ContextType>;
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

export type MutationResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Mutation'] = ResolversParentTypes['Mutation']> = {
  planCalendarEntry?: Resolver<ResolversTypes['CalendarEntry'], ParentType, ContextType, RequireFields<MutationPlanCalendarEntryArgs, 'input'>>;
  replayStrategyDeadLetter?: Resolver<ResolversTypes['DeadLetterReplay'], ParentType, ContextType, RequireFields<MutationReplayStrategyDeadLetterArgs, 'id'>>;
  replayStrategyDeadLetters?: Resolver<ResolversTypes['DeadLetterReplaySummary'], ParentType, ContextType>;
};

export type PageInfoResolvers<ContextType = Context, ParentType extends ResolversParentTypes['PageInfo'] = ResolversParentTypes['PageInfo']> = {
  endCursor?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  hasNextPage?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
};

export type QueryResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Query'] = ResolversParentTypes['Query']> = {
  calendarEntry?: Resolver<Maybe<ResolversTypes['CalendarEntry']>, ParentType, ContextType, RequireFields<QueryCalendarEntryArgs, 'id'>>;
  strategyDeadLetters?: Resolver<ResolversTypes['DeadLetterConnection'], ParentType, ContextType, RequireFields<QueryStrategyDeadLettersArgs, 'first' | 'status'>>;
};

export type Resolvers<ContextType = Context> = {
  Brand?: BrandResolvers<ContextType>;
  BrandPlanning?: BrandPlanningResolvers<ContextType>;
  CalendarEntry?: CalendarEntryResolvers<ContextType>;
  CalendarEntryConnection?: CalendarEntryConnectionResolvers<ContextType>;
  DateTime?: GraphQLScalarType;
  DeadLetter?: DeadLetterResolvers<ContextType>;
  DeadLetterConnection?: DeadLetterConnectionResolvers<ContextType>;
  DeadLetterReplay?: DeadLetterReplayResolvers<ContextType>;
  DeadLetterReplaySummary?: DeadLetterReplaySummaryResolvers<ContextType>;
  Mutation?: MutationResolvers<ContextType>;
  PageInfo?: PageInfoResolvers<ContextType>;
  Query?: QueryResolvers<ContextType>;
};


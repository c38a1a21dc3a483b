import type { GraphQLResolveInfo, GraphQLScalarType, GraphQLScalarTypeConfig } from 'graphql';
import type { OrganizationRow, UserRow, MembershipRow, InvitationRow, ApiKeyRow, ApiKeyConnectionModel, AuditEventRow, AuditEventConnectionModel, PlatformConnectionRow, PlatformConnectionConnectionModel } from '../db/schema';
import type { AuthPayloadModel } from '../identity/sessions';
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

export type AcceptInvitationInput = {
  /** Your name; ignored when the email already has an account. */
  name?: InputMaybe<Scalars['String']['input']>;
  /** A new password, or the existing account's password when the email already has one. */
  password: Scalars['String']['input'];
  token: Scalars['String']['input'];
};

/** A partner API key. The secret itself is shown once, when the key is created. */
export type ApiKey = {
  __typename?: 'ApiKey';
  createdAt: Scalars['DateTime']['output'];
  createdBy?: Maybe<User>;
  expiresAt?: Maybe<Scalars['DateTime']['output']>;
  id: Scalars['ID']['output'];
  lastUsedAt?: Maybe<Scalars['DateTime']['output']>;
  name: Scalars['String']['output'];
  /** The visible start of the key, e.g. umt_3f9a1c2b: enough to recognise it, useless to use it. */
  prefix: Scalars['String']['output'];
  revokedAt?: Maybe<Scalars['DateTime']['output']>;
  scopes: Array<Scalars['String']['output']>;
};

export type ApiKeyConnection = {
  __typename?: 'ApiKeyConnection';
  nodes: Array<ApiKey>;
  pageInfo: PageInfo;
};

/** A security event: logins, failed logins, refresh token reuse, key creation and revocation, role changes. */
export type AuditEvent = {
  __typename?: 'AuditEvent';
  /** e.g. login.succeeded, login.failed, session.refresh_reused, apikey.created, apikey.revoked, member.role_changed */
  action: Scalars['String']['output'];
  actorId?: Maybe<Scalars['ID']['output']>;
  /** user, apiKey or anonymous */
  actorType: Scalars['String']['output'];
  /** The client address as the gateway saw it. */
  address?: Maybe<Scalars['String']['output']>;
  createdAt: Scalars['DateTime']['output'];
  /** Event-specific facts as a JSON object. */
  details?: Maybe<Scalars['String']['output']>;
  id: Scalars['ID']['output'];
  /** What the event is about, e.g. the user whose role changed or the key revoked. */
  targetId?: Maybe<Scalars['ID']['output']>;
};

export type AuditEventConnection = {
  __typename?: 'AuditEventConnection';
  nodes: Array<AuditEvent>;
  pageInfo: PageInfo;
};

/**
 * What register, login, refreshSession and acceptInvitation return. Send the access token as
 * 'Authorization: Bearer <accessToken>'; when it expires, exchange the refresh token with refreshSession.
 * Each refresh token works once: using one twice revokes the whole session.
 */
export type AuthPayload = {
  __typename?: 'AuthPayload';
  accessToken: Scalars['String']['output'];
  accessTokenExpiresAt: Scalars['DateTime']['output'];
  /** Only from register, and only outside production (no mail server is needed): pass it to verifyEmail. */
  emailVerificationToken?: Maybe<Scalars['String']['output']>;
  organization: Organization;
  refreshToken: Scalars['String']['output'];
  refreshTokenExpiresAt: Scalars['DateTime']['output'];
  role: Role;
  user: User;
};

export type ChangeMemberRoleInput = {
  role: Role;
  userId: Scalars['ID']['input'];
};

export type ChangePasswordInput = {
  currentPassword: Scalars['String']['input'];
  /** At least 10 characters. */
  newPassword: Scalars['String']['input'];
};

export type CompletePlatformConnectionInput = {
  code: Scalars['String']['input'];
  state: Scalars['String']['input'];
};

export type ConnectPlatformWithApiKeyInput = {
  brandId: Scalars['ID']['input'];
  provider: PlatformProvider;
  /** The API key (Mailchimp) or application password (WordPress). */
  secret: Scalars['String']['input'];
  /** WordPress: the site's address, e.g. https://blog.example.com. */
  siteUrl?: InputMaybe<Scalars['String']['input']>;
  /** WordPress: the user the application password belongs to. */
  username?: InputMaybe<Scalars['String']['input']>;
};

/**
 * HEALTHY: the last check succeeded. DEGRADED: the provider is failing or rate-limiting right now; calls are retried.
 * BROKEN: the provider refuses the credentials (revoked, expired beyond refresh) or the account; connect it again.
 */
export type ConnectionHealth =
  | 'BROKEN'
  | 'DEGRADED'
  | 'HEALTHY';

export type CreateApiKeyInput = {
  expiresAt?: InputMaybe<Scalars['DateTime']['input']>;
  name: Scalars['String']['input'];
  /** e.g. content:read, campaigns:write; see the README for the list. */
  scopes: Array<Scalars['String']['input']>;
};

export type CreatedApiKey = {
  __typename?: 'CreatedApiKey';
  apiKey: ApiKey;
  /** The whole key, to send as 'X-API-Key: <key>'. It is not stored and cannot be shown again. */
  key: Scalars['String']['output'];
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

export type Invitation = {
  __typename?: 'Invitation';
  createdAt: Scalars['DateTime']['output'];
  email: Scalars['String']['output'];
  expiresAt: Scalars['DateTime']['output'];
  id: Scalars['ID']['output'];
  invitedBy?: Maybe<User>;
  role: Role;
};

export type InvitationPayload = {
  __typename?: 'InvitationPayload';
  invitation: Invitation;
  /** Only outside production (no mail server is needed): pass it to acceptInvitation. */
  token?: Maybe<Scalars['String']['output']>;
};

export type InviteMemberInput = {
  email: Scalars['String']['input'];
  role: Role;
};

export type LoginInput = {
  email: Scalars['String']['input'];
  /** Which organization to act in, for users who belong to several; defaults to the oldest membership. */
  organizationId?: InputMaybe<Scalars['ID']['input']>;
  password: Scalars['String']['input'];
};

export type Membership = {
  __typename?: 'Membership';
  joinedAt: Scalars['DateTime']['output'];
  role: Role;
  user: User;
};

export type Mutation = {
  __typename?: 'Mutation';
  /** Joins the organization of an invitation, creating the account when the email has none. */
  acceptInvitation: AuthPayload;
  /** Only an OWNER may grant or take away OWNER; an organization always keeps one. */
  changeMemberRole: Membership;
  /** Changes the caller's password and ends every other session. */
  changePassword: Scalars['Boolean']['output'];
  /** Checks the connection now (refreshing its token when needed) and returns its health. */
  checkPlatformConnection: PlatformConnection;
  /** Finishes what startPlatformConnection began, with the code and state the provider sent back. Same user only. */
  completePlatformConnection: PlatformConnection;
  /** Connects an account with an API key or application password; the provider is asked who it belongs to first. */
  connectPlatformWithApiKey: PlatformConnection;
  createApiKey: CreatedApiKey;
  /** Revokes the tokens at the provider where it offers that, and deletes the connection and its credentials. */
  disconnectPlatform: Scalars['Boolean']['output'];
  inviteMember: InvitationPayload;
  login: AuthPayload;
  /** Ends the session the refresh token belongs to. */
  logout: Scalars['Boolean']['output'];
  /** Exchanges a refresh token for new tokens. A refresh token used twice revokes its whole session. */
  refreshSession: AuthPayload;
  /** Creates an organization and its owner, and logs the owner in. */
  register: AuthPayload;
  removeMember: Scalars['Boolean']['output'];
  replayAuthDeadLetter: DeadLetterReplay;
  /** Replays every pending dead letter of the caller's organization. */
  replayAuthDeadLetters: DeadLetterReplaySummary;
  /** Takes effect on every gateway within API_KEY_CACHE_SECONDS (2 s by default). */
  revokeApiKey: ApiKey;
  /** Starts connecting an account through the provider's OAuth2 consent page (authorization code with PKCE). */
  startPlatformConnection: PlatformConnectionStart;
  /** Confirms the email address with the token register returned. */
  verifyEmail: Scalars['Boolean']['output'];
};


export type MutationAcceptInvitationArgs = {
  input: AcceptInvitationInput;
};


export type MutationChangeMemberRoleArgs = {
  input: ChangeMemberRoleInput;
};


export type MutationChangePasswordArgs = {
  input: ChangePasswordInput;
};


export type MutationCheckPlatformConnectionArgs = {
  id: Scalars['ID']['input'];
};


export type MutationCompletePlatformConnectionArgs = {
  input: CompletePlatformConnectionInput;
};


export type MutationConnectPlatformWithApiKeyArgs = {
  input: ConnectPlatformWithApiKeyInput;
};


export type MutationCreateApiKeyArgs = {
  input: CreateApiKeyInput;
};


export type MutationDisconnectPlatformArgs = {
  id: Scalars['ID']['input'];
};


export type MutationInviteMemberArgs = {
  input: InviteMemberInput;
};


export type MutationLoginArgs = {
  input: LoginInput;
};


export type MutationLogoutArgs = {
  refreshToken: Scalars['String']['input'];
};


export type MutationRefreshSessionArgs = {
  refreshToken: Scalars['String']['input'];
};


export type MutationRegisterArgs = {
  input: RegisterInput;
};


export type MutationRemoveMemberArgs = {
  userId: Scalars['ID']['input'];
};


export type MutationReplayAuthDeadLetterArgs = {
  id: Scalars['ID']['input'];
};


export type MutationRevokeApiKeyArgs = {
  id: Scalars['ID']['input'];
};


export type MutationStartPlatformConnectionArgs = {
  input: StartPlatformConnectionInput;
};


export type MutationVerifyEmailArgs = {
  token: Scalars['String']['input'];
};

/** A tenant: every piece of data in the graph belongs to exactly one organization. */
export type Organization = {
  __typename?: 'Organization';
  createdAt: Scalars['DateTime']['output'];
  id: Scalars['ID']['output'];
  /** The people who belong to the organization, oldest first. */
  members: Array<Membership>;
  name: Scalars['String']['output'];
  /** Invitations not yet accepted (OWNER and ADMIN only). */
  pendingInvitations: Array<Invitation>;
  /** URL-friendly unique name. */
  slug: Scalars['String']['output'];
};

export type PageInfo = {
  __typename?: 'PageInfo';
  /** Pass as `after` to get the next page. */
  endCursor?: Maybe<Scalars['String']['output']>;
  hasNextPage: Scalars['Boolean']['output'];
};

/**
 * A brand's account on a platform. Its tokens or keys are encrypted at rest and never leave the service: no field
 * returns them.
 */
export type PlatformConnection = {
  __typename?: 'PlatformConnection';
  /** The account's id at the provider. */
  accountId: Scalars['String']['output'];
  accountName: Scalars['String']['output'];
  accountUrl?: Maybe<Scalars['String']['output']>;
  authMethod: ProviderAuthMethod;
  brandId: Scalars['ID']['output'];
  category: ProviderCategory;
  connectedBy?: Maybe<User>;
  createdAt: Scalars['DateTime']['output'];
  health: ConnectionHealth;
  id: Scalars['ID']['output'];
  lastCheckedAt?: Maybe<Scalars['DateTime']['output']>;
  lastError?: Maybe<Scalars['String']['output']>;
  /** Our code for the last failure (e.g. PROVIDER_AUTH_EXPIRED), while not HEALTHY. */
  lastErrorCode?: Maybe<Scalars['String']['output']>;
  provider: PlatformProvider;
  /** Connected to the bundled fake provider (sandbox mode), not to the real platform. */
  sandbox: Scalars['Boolean']['output'];
  scopes: Array<Scalars['String']['output']>;
  /** When the current access token expires (it is refreshed before). */
  tokenExpiresAt?: Maybe<Scalars['DateTime']['output']>;
};

export type PlatformConnectionConnection = {
  __typename?: 'PlatformConnectionConnection';
  nodes: Array<PlatformConnection>;
  pageInfo: PageInfo;
};

export type PlatformConnectionStart = {
  __typename?: 'PlatformConnectionStart';
  /** Send the person here; the provider sends them back to redirectUri with code and state. */
  authorizationUrl: Scalars['String']['output'];
  expiresAt: Scalars['DateTime']['output'];
  /** Pass back to completePlatformConnection with the code (it is also in the authorization URL). */
  state: Scalars['String']['output'];
};

/** The platforms a brand can connect an account on. */
export type PlatformProvider =
  | 'FACEBOOK'
  | 'GOOGLE_ADS'
  | 'LINKEDIN'
  | 'MAILCHIMP'
  | 'META_ADS'
  | 'WORDPRESS'
  | 'X';

/** A provider the platform speaks to, and whether this installation can connect to it. */
export type PlatformProviderInfo = {
  __typename?: 'PlatformProviderInfo';
  /** For API_KEY providers: the fields connectPlatformWithApiKey needs (secret, username, siteUrl). */
  apiKeyFields: Array<Scalars['String']['output']>;
  authMethod: ProviderAuthMethod;
  category: ProviderCategory;
  /** OAuth2 providers need a client id and secret in the configuration; API-key providers need nothing. */
  configured: Scalars['Boolean']['output'];
  displayName: Scalars['String']['output'];
  provider: PlatformProvider;
  /** The provider is the bundled fake (sandbox mode): its accounts are not real. */
  sandbox: Scalars['Boolean']['output'];
};

export type ProviderAuthMethod =
  /** Connect with a key or an application password: connectPlatformWithApiKey. */
  | 'API_KEY'
  /** Connect through the provider's consent page: startPlatformConnection, then completePlatformConnection. */
  | 'OAUTH2';

export type ProviderCategory =
  | 'ADS'
  | 'CMS'
  | 'EMAIL'
  | 'SOCIAL';

export type Query = {
  __typename?: 'Query';
  /** The organization's API keys, newest first (OWNER and ADMIN only). */
  apiKeys: ApiKeyConnection;
  /** The organization's security events, newest first (OWNER and ADMIN only). */
  auditEvents: AuditEventConnection;
  /** Events the auth subgraph could not process, newest failure first (OWNER and ADMIN; own organization only). */
  authDeadLetters: DeadLetterConnection;
  /** The calling user. */
  me: User;
  /** The caller's organization. */
  organization: Organization;
  platformConnection?: Maybe<PlatformConnection>;
  /** The organization's platform connections, newest first; optionally one brand's. */
  platformConnections: PlatformConnectionConnection;
  /** The providers this installation can connect to. */
  platformProviders: Array<PlatformProviderInfo>;
};


export type QueryApiKeysArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
};


export type QueryAuditEventsArgs = {
  action?: InputMaybe<Scalars['String']['input']>;
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
};


export type QueryAuthDeadLettersArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  status?: InputMaybe<DeadLetterStatus>;
};


export type QueryPlatformConnectionArgs = {
  id: Scalars['ID']['input'];
};


export type QueryPlatformConnectionsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  brandId?: InputMaybe<Scalars['ID']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
};

export type RegisterInput = {
  email: Scalars['String']['input'];
  name: Scalars['String']['input'];
  /** Name of the new organization; the registering user becomes its OWNER. */
  organizationName: Scalars['String']['input'];
  /** At least 10 characters. */
  password: Scalars['String']['input'];
};

export type Role =
  | 'ADMIN'
  | 'BRAND_MANAGER'
  | 'CONTENT_CREATOR'
  | 'OWNER'
  | 'VIEWER';

export type StartPlatformConnectionInput = {
  brandId: Scalars['ID']['input'];
  provider: PlatformProvider;
  /** Where the provider sends the person back; defaults to the gateway's callback (INTEGRATION_REDIRECT_URI). */
  redirectUri?: InputMaybe<Scalars['String']['input']>;
};

export type User = {
  __typename?: 'User';
  createdAt: Scalars['DateTime']['output'];
  email: Scalars['String']['output'];
  emailVerified: Scalars['Boolean']['output'];
  id: Scalars['ID']['output'];
  name: Scalars['String']['output'];
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
  Organization: Organization;
  User: User;
};

/** Mapping of federation reference types */
export type FederationReferenceTypes = {
  Organization:
    ( { __typename: 'Organization' }
    & GraphQLRecursivePick<FederationTypes['Organization'], {"id":true}> );
  User:
    ( { __typename: 'User' }
    & GraphQLRecursivePick<FederationTypes['User'], {"id":true}> );
};



/** Mapping between all available schema types and the resolvers types */
export type ResolversTypes = {
  AcceptInvitationInput: AcceptInvitationInput;
  String: ResolverTypeWrapper<Scalars['String']['output']>;
  ApiKey: ResolverTypeWrapper<ApiKeyRow>;
  ID: ResolverTypeWrapper<Scalars['ID']['output']>;
  ApiKeyConnection: ResolverTypeWrapper<ApiKeyConnectionModel>;
  AuditEvent: ResolverTypeWrapper<AuditEventRow>;
  AuditEventConnection: ResolverTypeWrapper<AuditEventConnectionModel>;
  AuthPayload: ResolverTypeWrapper<AuthPayloadModel>;
  ChangeMemberRoleInput: ChangeMemberRoleInput;
  ChangePasswordInput: ChangePasswordInput;
  CompletePlatformConnectionInput: CompletePlatformConnectionInput;
  ConnectPlatformWithApiKeyInput: ConnectPlatformWithApiKeyInput;
  ConnectionHealth: ConnectionHealth;
  CreateApiKeyInput: CreateApiKeyInput;
  CreatedApiKey: ResolverTypeWrapper<Omit<CreatedApiKey, 'apiKey'> & { apiKey: ResolversTypes['ApiKey'] }>;
  DateTime: ResolverTypeWrapper<Scalars['DateTime']['output']>;
  DeadLetter: ResolverTypeWrapper<DeadLetter>;
  Int: ResolverTypeWrapper<Scalars['Int']['output']>;
  DeadLetterConnection: ResolverTypeWrapper<DeadLetterConnection>;
  DeadLetterReason: DeadLetterReason;
  DeadLetterReplay: ResolverTypeWrapper<DeadLetterReplay>;
  DeadLetterReplaySummary: ResolverTypeWrapper<DeadLetterReplaySummary>;
  DeadLetterStatus: DeadLetterStatus;
  Invitation: ResolverTypeWrapper<InvitationRow>;
  InvitationPayload: ResolverTypeWrapper<Omit<InvitationPayload, 'invitation'> & { invitation: ResolversTypes['Invitation'] }>;
  InviteMemberInput: InviteMemberInput;
  LoginInput: LoginInput;
  Membership: ResolverTypeWrapper<MembershipRow>;
  Mutation: ResolverTypeWrapper<Record<PropertyKey, never>>;
  Boolean: ResolverTypeWrapper<Scalars['Boolean']['output']>;
  Organization: ResolverTypeWrapper<OrganizationRow>;
  PageInfo: ResolverTypeWrapper<PageInfo>;
  PlatformConnection: ResolverTypeWrapper<PlatformConnectionRow>;
  PlatformConnectionConnection: ResolverTypeWrapper<PlatformConnectionConnectionModel>;
  PlatformConnectionStart: ResolverTypeWrapper<PlatformConnectionStart>;
  PlatformProvider: PlatformProvider;
  PlatformProviderInfo: ResolverTypeWrapper<PlatformProviderInfo>;
  ProviderAuthMethod: ProviderAuthMethod;
  ProviderCategory: ProviderCategory;
  Query: ResolverTypeWrapper<Record<PropertyKey, never>>;
  RegisterInput: RegisterInput;
  Role: Role;
  StartPlatformConnectionInput: StartPlatformConnectionInput;
  User: ResolverTypeWrapper<UserRow>;
};

/** Mapping between all available schema types and the resolvers parents */
export type ResolversParentTypes = {
  AcceptInvitationInput: AcceptInvitationInput;
  String: Scalars['String']['output'];
  ApiKey: ApiKeyRow;
  ID: Scalars['ID']['output'];
  ApiKeyConnection: ApiKeyConnectionModel;
  AuditEvent: AuditEventRow;
  AuditEventConnection: AuditEventConnectionModel;
  AuthPayload: AuthPayloadModel;
  ChangeMemberRoleInput: ChangeMemberRoleInput;
  ChangePasswordInput: ChangePasswordInput;
  CompletePlatformConnectionInput: CompletePlatformConnectionInput;
  ConnectPlatformWithApiKeyInput: ConnectPlatformWithApiKeyInput;
  CreateApiKeyInput: CreateApiKeyInput;
  CreatedApiKey: Omit<CreatedApiKey, 'apiKey'> & { apiKey: ResolversParentTypes['ApiKey'] };
  DateTime: Scalars['DateTime']['output'];
  DeadLetter: DeadLetter;
  Int: Scalars['Int']['output'];
  DeadLetterConnection: DeadLetterConnection;
  DeadLetterReplay: DeadLetterReplay;
  DeadLetterReplaySummary: DeadLetterReplaySummary;
  Invitation: InvitationRow;
  InvitationPayload: Omit<InvitationPayload, 'invitation'> & { invitation: ResolversParentTypes['Invitation'] };
  InviteMemberInput: InviteMemberInput;
  LoginInput: LoginInput;
  Membership: MembershipRow;
  Mutation: Record<PropertyKey, never>;
  Boolean: Scalars['Boolean']['output'];
  Organization: OrganizationRow;
  PageInfo: PageInfo;
  PlatformConnection: PlatformConnectionRow;
  PlatformConnectionConnection: PlatformConnectionConnectionModel;
  PlatformConnectionStart: PlatformConnectionStart;
  PlatformProviderInfo: PlatformProviderInfo;
  Query: Record<PropertyKey, never>;
  RegisterInput: RegisterInput;
  StartPlatformConnectionInput: StartPlatformConnectionInput;
  User: UserRow;
};

export type ApiKeyResolvers<ContextType = Context, ParentType extends ResolversParentTypes['ApiKey'] = ResolversParentTypes['ApiKey']> = {
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  createdBy?: Resolver<Maybe<ResolversTypes['User']>, ParentType, ContextType>;
  expiresAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  lastUsedAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  prefix?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  revokedAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  scopes?: Resolver<Array<ResolversTypes['String']>, ParentType, ContextType>;
};

export type ApiKeyConnectionResolvers<ContextType = Context, ParentType extends ResolversParentTypes['ApiKeyConnection'] = ResolversParentTypes['ApiKeyConnection']> = {
  nodes?: Resolver<Array<ResolversTypes['ApiKey']>, ParentType, ContextType>;
  pageInfo?: Resolver<ResolversTypes['PageInfo'], ParentType, ContextType>;
};

export type AuditEventResolvers<ContextType = Context, ParentType extends ResolversParentTypes['AuditEvent'] = ResolversParentTypes['AuditEvent']> = {
  action?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  actorId?: Resolver<Maybe<ResolversTypes['ID']>, ParentType, ContextType>;
  actorType?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  address?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  details?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  targetId?: Resolver<Maybe<ResolversTypes['ID']>, ParentType, ContextType>;
};

export type AuditEventConnectionResolvers<ContextType = Context, ParentType extends ResolversParentTypes['AuditEventConnection'] = ResolversParentTypes['AuditEventConnection']> = {
  nodes?: Resolver<Array<ResolversTypes['AuditEvent']>, ParentType, ContextType>;
  pageInfo?: Resolver<ResolversTypes['PageInfo'], ParentType, ContextType>;
};

export type AuthPayloadResolvers<ContextType = Context, ParentType extends ResolversParentTypes['AuthPayload'] = ResolversParentTypes['AuthPayload']> = {
  accessToken?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  accessTokenExpiresAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  emailVerificationToken?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  organization?: Resolver<ResolversTypes['Organization'], ParentType, ContextType>;
  refreshToken?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  refreshTokenExpiresAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  role?: Resolver<ResolversTypes['Role'], ParentType, ContextType>;
  user?: Resolver<ResolversTypes['User'], ParentType, ContextType>;
};

export type CreatedApiKeyResolvers<ContextType = Context, ParentType extends ResolversParentTypes['CreatedApiKey'] = ResolversParentTypes['CreatedApiKey']> = {
  apiKey?: Resolver<ResolversTypes['ApiKey'], ParentType, ContextType>;
  key?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
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

export type InvitationResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Invitation'] = ResolversParentTypes['Invitation']> = {
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  email?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  expiresAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  invitedBy?: Resolver<Maybe<ResolversTypes['User']>, ParentType, ContextType>;
  role?: Resolver<ResolversTypes['Role'], ParentType, ContextType>;
};

export type InvitationPayloadResolvers<ContextType = Context, ParentType extends ResolversParentTypes['InvitationPayload'] = ResolversParentTypes['InvitationPayload']> = {
  invitation?: Resolver<ResolversTypes['Invitation'], ParentType, ContextType>;
  token?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
};

export type MembershipResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Membership'] = ResolversParentTypes['Membership']> = {
  joinedAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  role?: Resolver<ResolversTypes['Role'], ParentType, ContextType>;
  user?: Resolver<ResolversTypes['User'], ParentType, ContextType>;
};

export type MutationResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Mutation'] = ResolversParentTypes['Mutation']> = {
  acceptInvitation?: Resolver<ResolversTypes['AuthPayload'], ParentType, ContextType, RequireFields<MutationAcceptInvitationArgs, 'input'>>;
  changeMemberRole?: Resolver<ResolversTypes['Membership'], ParentType, ContextType, RequireFields<MutationChangeMemberRoleArgs, 'input'>>;
  changePassword?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType, RequireFields<MutationChangePasswordArgs, 'input'>>;
  checkPlatformConnection?: Resolver<ResolversTypes['PlatformConnection'], ParentType, ContextType, RequireFields<MutationCheckPlatformConnectionArgs, 'id'>>;
  completePlatformConnection?: Resolver<ResolversTypes['PlatformConnection'], ParentType, ContextType, RequireFields<MutationCompletePlatformConnectionArgs, 'input'>>;
  connectPlatformWithApiKey?: Resolver<ResolversTypes['PlatformConnection'], ParentType, ContextType, RequireFields<MutationConnectPlatformWithApiKeyArgs, 'input'>>;
  createApiKey?: Resolver<ResolversTypes['CreatedApiKey'], ParentType, ContextType, RequireFields<MutationCreateApiKeyArgs, 'input'>>;
  disconnectPlatform?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType, RequireFields<MutationDisconnectPlatformArgs, 'id'>>;
  inviteMember?: Resolver<ResolversTypes['InvitationPayload'], ParentType, ContextType, RequireFields<MutationInviteMemberArgs, 'input'>>;
  login?: Resolver<ResolversTypes['AuthPayload'], ParentType, ContextType, RequireFields<MutationLoginArgs, 'input'>>;
  logout?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType, RequireFields<MutationLogoutArgs, 'refreshToken'>>;
  refreshSession?: Resolver<ResolversTypes['AuthPayload'], ParentType, ContextType, RequireFields<MutationRefreshSessionArgs, 'refreshToken'>>;
  register?: Resolver<ResolversTypes['AuthPayload'], ParentType, ContextType, RequireFields<MutationRegisterArgs, 'input'>>;
  removeMember?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType, RequireFields<MutationRemoveMemberArgs, 'userId'>>;
  replayAuthDeadLetter?: Resolver<ResolversTypes['DeadLetterReplay'], ParentType, ContextType, RequireFields<MutationReplayAuthDeadLetterArgs, 'id'>>;
  replayAuthDeadLetters?: Resolver<ResolversTypes['DeadLetterReplaySummary'], ParentType, ContextType>;
  revokeApiKey?: Resolver<ResolversTypes['ApiKey'], ParentType, ContextType, RequireFields<MutationRevokeApiKeyArgs, 'id'>>;
  startPlatformConnection?: Resolver<ResolversTypes['PlatformConnectionStart'], ParentType, ContextType, RequireFields<MutationStartPlatformConnectionArgs, 'input'>>;
  verifyEmail?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType, RequireFields<MutationVerifyEmailArgs, 'token'>>;
};

export type OrganizationResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Organization'] = ResolversParentTypes['Organization'], FederationReferenceType extends FederationReferenceTypes['Organization'] = FederationReferenceTypes['Organization']> = {
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['Organization']> | FederationReferenceType, FederationReferenceType, ContextType>;
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  members?: Resolver<Array<ResolversTypes['Membership']>, ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  pendingInvitations?: Resolver<Array<ResolversTypes['Invitation']>, ParentType, ContextType>;
  slug?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
};

export type PageInfoResolvers<ContextType = Context, ParentType extends ResolversParentTypes['PageInfo'] = ResolversParentTypes['PageInfo']> = {
  endCursor?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  hasNextPage?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
};

export type PlatformConnectionResolvers<ContextType = Context, ParentType extends ResolversParentTypes['PlatformConnection'] = ResolversParentTypes['PlatformConnection']> = {
  accountId?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  accountName?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  accountUrl?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  authMethod?: Resolver<ResolversTypes['ProviderAuthMethod'], ParentType, ContextType>;
  brandId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  category?: Resolver<ResolversTypes['ProviderCategory'], ParentType, ContextType>;
  connectedBy?: Resolver<Maybe<ResolversTypes['User']>, ParentType, ContextType>;
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  health?: Resolver<ResolversTypes['ConnectionHealth'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  lastCheckedAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  lastError?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  lastErrorCode?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  provider?: Resolver<ResolversTypes['PlatformProvider'], ParentType, ContextType>;
  sandbox?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  scopes?: Resolver<Array<ResolversTypes['String']>, ParentType, ContextType>;
  tokenExpiresAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
};

export type PlatformConnectionConnectionResolvers<ContextType = Context, ParentType extends ResolversParentTypes['PlatformConnectionConnection'] = ResolversParentTypes['PlatformConnectionConnection']> = {
  nodes?: Resolver<Array<ResolversTypes['PlatformConnection']>, ParentType, ContextType>;
  pageInfo?: Resolver<ResolversTypes['PageInfo'], ParentType, ContextType>;
};

export type PlatformConnectionStartResolvers<ContextType = Context, ParentType extends ResolversParentTypes['PlatformConnectionStart'] = ResolversParentTypes['PlatformConnectionStart']> = {
  authorizationUrl?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  expiresAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  state?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
};

export type PlatformProviderInfoResolvers<ContextType = Context, ParentType extends ResolversParentTypes['PlatformProviderInfo'] = ResolversParentTypes['PlatformProviderInfo']> = {
  apiKeyFields?: Resolver<Array<ResolversTypes['String']>, ParentType, ContextType>;
  authMethod?: Resolver<ResolversTypes['ProviderAuthMethod'], ParentType, ContextType>;
  category?: Resolver<ResolversTypes['ProviderCategory'], ParentType, ContextType>;
  configured?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  displayName?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  provider?: Resolver<ResolversTypes['PlatformProvider'], ParentType, ContextType>;
  sandbox?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
};

export type QueryResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Query'] = ResolversParentTypes['Query']> = {
  apiKeys?: Resolver<ResolversTypes['ApiKeyConnection'], ParentType, ContextType, RequireFields<QueryApiKeysArgs, 'first'>>;
  auditEvents?: Resolver<ResolversTypes['AuditEventConnection'], ParentType, ContextType, RequireFields<QueryAuditEventsArgs, 'first'>>;
  authDeadLetters?: Resolver<ResolversTypes['DeadLetterConnection'], ParentType, ContextType, RequireFields<QueryAuthDeadLettersArgs, 'first' | 'status'>>;
  me?: Resolver<ResolversTypes['User'], ParentType, ContextType>;
  organization?: Resolver<ResolversTypes['Organization'], ParentType, ContextType>;
  platformConnection?: Resolver<Maybe<ResolversTypes['PlatformConnection']>, ParentType, ContextType, RequireFields<QueryPlatformConnectionArgs, 'id'>>;
  platformConnections?: Resolver<ResolversTypes['PlatformConnectionConnection'], ParentType, ContextType, RequireFields<QueryPlatformConnectionsArgs, 'first'>>;
  platformProviders?: Resolver<Array<ResolversTypes['PlatformProviderInfo']>, ParentType, ContextType>;
};

export type UserResolvers<ContextType = Context, ParentType extends ResolversParentTypes['User'] = ResolversParentTypes['User'], FederationReferenceType extends FederationReferenceTypes['User'] = FederationReferenceTypes['User']> = {
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['User']> | FederationReferenceType, FederationReferenceType, ContextType>;
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  email?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  emailVerified?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
};

export type Resolvers<ContextType = Context> = {
  ApiKey?: ApiKeyResolvers<ContextType>;
  ApiKeyConnection?: ApiKeyConnectionResolvers<ContextType>;
  AuditEvent?: AuditEventResolvers<ContextType>;
  AuditEventConnection?: AuditEventConnectionResolvers<ContextType>;
  AuthPayload?: AuthPayloadResolvers<ContextType>;
  CreatedApiKey?: CreatedApiKeyResolvers<ContextType>;
  DateTime?: GraphQLScalarType;
  DeadLetter?: DeadLetterResolvers<ContextType>;
  DeadLetterConnection?: DeadLetterConnectionResolvers<ContextType>;
  DeadLetterReplay?: DeadLetterReplayResolvers<ContextType>;
  DeadLetterReplaySummary?: DeadLetterReplaySummaryResolvers<ContextType>;
  Invitation?: InvitationResolvers<ContextType>;
  InvitationPayload?: InvitationPayloadResolvers<ContextType>;
  Membership?: MembershipResolvers<ContextType>;
  Mutation?: MutationResolvers<ContextType>;
  Organization?: OrganizationResolvers<ContextType>;
  PageInfo?: PageInfoResolvers<ContextType>;
  PlatformConnection?: PlatformConnectionResolvers<ContextType>;
  PlatformConnectionConnection?: PlatformConnectionConnectionResolvers<ContextType>;
  PlatformConnectionStart?: PlatformConnectionStartResolvers<ContextType>;
  PlatformProviderInfo?: PlatformProviderInfoResolvers<ContextType>;
  Query?: QueryResolvers<ContextType>;
  User?: UserResolvers<ContextType>;
};


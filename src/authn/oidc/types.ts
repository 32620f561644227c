/**
 * The JWT authenticator configuration, after pkg/apis/apiserver types.go (JWTAuthenticator of
 * AuthenticationConfiguration v1beta1/v1). The legacy --oidc-* flags are converted to it.
 */

export interface Issuer {
  url: string;
  discoveryURL?: string;
  /** PEM CA bundle (the file's content for the flags, the field's content for the config). */
  certificateAuthority?: string;
  audiences: string[];
  audienceMatchPolicy?: string;
  /** Decoded only to be refused: there is no egress selector (config.ts). */
  egressSelectorType?: string;
}

export interface ClaimValidationRule {
  claim?: string;
  requiredValue?: string;
  expression?: string;
  message?: string;
}

export interface PrefixedClaimOrExpression {
  claim?: string;
  /** Required with `claim` in the config file ("" allowed); never with `expression`. */
  prefix?: string;
  expression?: string;
}

export interface ClaimOrExpression {
  claim?: string;
  expression?: string;
}

export interface ExtraMapping {
  key: string;
  valueExpression: string;
}

export interface ClaimMappings {
  username: PrefixedClaimOrExpression;
  groups?: PrefixedClaimOrExpression;
  uid?: ClaimOrExpression;
  extra?: ExtraMapping[];
}

export interface UserValidationRule {
  expression: string;
  message?: string;
}

export interface JWTAuthenticator {
  issuer: Issuer;
  claimValidationRules?: ClaimValidationRule[];
  claimMappings: ClaimMappings;
  userValidationRules?: UserValidationRule[];
}

export interface AnonymousConfig {
  enabled: boolean;
  conditions?: { path: string }[];
}

export interface AuthenticationConfiguration {
  jwt: JWTAuthenticator[];
  anonymous?: AnonymousConfig;
}

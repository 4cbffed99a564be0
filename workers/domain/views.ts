import type { SellerProfileRow, UserRow } from "../data/users.ts";

/** The mean of a rating sum, to two decimals; null before the first review. */
export const averageRating = (sum: number, count: number) => (count === 0 ? null : Math.round((sum / count) * 100) / 100);

/** The public face of a seller profile. */
export function sellerProfileView(profile: SellerProfileRow) {
  return {
    username: profile.username,
    displayName: profile.displayName,
    bio: profile.bio,
    skills: profile.skills,
    languages: profile.languages,
    country: profile.country,
    rating: averageRating(profile.ratingSum, profile.ratingCount),
    reviewCount: profile.ratingCount,
    completedOrders: profile.completedOrders,
    memberSince: profile.createdAt.toISOString(),
  };
}

/** The signed-in user as `GET /api/me` and the auth endpoints answer it: never the hash or versions. */
export function userView(user: UserRow, profile?: SellerProfileRow | null) {
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    roles: user.roles,
    emailVerified: user.emailVerifiedAt !== null,
    createdAt: user.createdAt.toISOString(),
    seller: profile ? sellerProfileView(profile) : null,
  };
}

export type SellerProfileJson = ReturnType<typeof sellerProfileView>;
export type UserJson = ReturnType<typeof userView>;

/** `GET` and `PATCH /api/me`, `POST /api/auth/signup` and `POST /api/auth/login`. */
export interface UserResponse {
  user: UserJson;
}

/** `POST /api/me/onboard` and `PATCH /api/me/profile`. */
export interface SellerProfileResponse {
  seller: SellerProfileJson;
}

/** What Apollo Sandbox opens with: the README's first query, ready to run once a token is set. */
export const SANDBOX_DOCUMENT = `# 1. Run "Register" (or "Login") and copy the accessToken from the result.
# 2. Add a header  Authorization: Bearer <accessToken>  in the Headers tab.
# 3. Run "Overview".

mutation Register {
  register(input: { organizationName: "Acme", name: "Ada", email: "ada@acme.test", password: "correct horse battery" }) {
    accessToken
    refreshToken
    organization { id name }
  }
}

mutation Login {
  login(input: { email: "ada@acme.test", password: "correct horse battery" }) {
    accessToken
    accessTokenExpiresAt
    refreshToken
  }
}

mutation CreateBrand {
  createBrand(input: { name: "Acme Coffee", website: "https://acme.test", voice: "warm and plain-spoken" }) {
    id
    name
  }
}

query Overview {
  organization {
    name
    brands {
      nodes {
        name
        projects { nodes { name status } }
        calendar { nodes { title channel scheduledAt } }
      }
    }
  }
}
`;

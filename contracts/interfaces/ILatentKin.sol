// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC4906} from "@openzeppelin/contracts/interfaces/IERC4906.sol";
import {IERC2981} from "@openzeppelin/contracts/interfaces/IERC2981.sol";

import {IERC7496} from "./IERC7496.sol";

/**
 * @title LatentKin: characters that live on Ethereum as a 320-bit genome
 * @notice Every token carries a genome `(uint256 code, uint64 attrs)` (layout in {GenomeLib}). Gen-0 tokens
 * are minted by a minter or by a capped public mint; new tokens are made by fusing two parents with
 * commit-reveal randomness: {requestFusion} fixes the parents and a future reveal block, {completeFusion}
 * derives the seed from that block's hash and mints the child, whose genome anyone can re-derive with
 * {fusionOutcome} (or `latentkin_core.genome.fuse`) from the parents' genomes and the seed in {Fused}.
 *
 * Randomness: what a requester can and cannot steer. A request fixes everything its outcome depends on:
 * the parents, the request id and the reveal block (the next block). Its seed is
 * `keccak256(abi.encode(h, address(this), requestId))` where `h` is the reveal block's hash if the chain still
 * serves it when the request is completed, and `h = 0` (the fallback) otherwise. The hash is read with
 * `blockhash` while it is at most 256 blocks old, then from the EIP-2935 history contract
 * (`0x0000F90827F1C53a10cb7A02335B175320002935`, the last 8191 blocks) where the chain has one; a chain without
 * it serves 256 blocks. So each request has exactly two possible outcomes: the reveal outcome (unknown
 * until the reveal block is mined) and the fallback outcome (computable by anyone from the request alone).
 * Completion mints without calling the requester ({IERC721Receiver-onERC721Received} is not called) and is
 * not stopped by {pause}, so nobody can make a due completion revert or change what it produces; the
 * request is never re-armed, so waiting draws no new outcome.
 *
 * What bias remains:
 * - A requester who dislikes the reveal outcome can prefer the fallback by keeping everyone from
 *   completing for 8191 blocks (about 27 hours; 256 blocks on chains without EIP-2935). Anyone may
 *   complete, and a keeper (the service's, or anyone's) completes every request a few blocks after its
 *   reveal, so this needs every completer to be absent or censored. Even then the requester only picks the
 *   better of two outcomes that its request fixed (the fallback, known from the request, and the reveal
 *   outcome, unknown until the reveal block exists); to also choose the fallback it must pick its request
 *   id, i.e. wait for (or pay for) the right id to come up, since ids are handed out in order.
 * - Flooding the keepers is the cheap way to be "absent": a burst of requests larger than what every keeper
 *   completes within the window pushes the last ones to their fallback. Keepers complete in batches
 *   ({completeRequests}, hundreds of requests a transaction, skipping what someone else completed first), so the
 *   burst must outnumber what they complete in the whole window (about 67,000 requests revealed at once on a
 *   256-block chain, over 2 million on mainnet; see {completeRequests}), or outbid every keeper for block space
 *   for the whole window. The fallback it then gets is still computable in advance; the price of getting it is
 *   what grows.
 * - The builder (proposer) of the reveal block sees its hash before anyone else and can vary the block's
 *   contents to try many hashes, or withhold the block (losing its reward) so that the next block becomes
 *   the reveal block. A requester who builds, or pays the builder of, the reveal block can therefore steer
 *   the reveal outcome; this is inherent in any block-hash randomness (a VRF or a proof of the block's
 *   `prevrandao` would be needed to remove it) and is why fusion outcomes must stay worth far less than a
 *   block's value. Nobody else, the requester included, learns the reveal outcome before the block exists.
 *
 * Fusion modes: the requester picks one per fusion. Crossover (`mode` 0, {fusionOutcome}) takes each code gene
 * from one parent; blend (`mode` 1, {blendOutcome}) takes the mean of both, rounded by a random bit, so the
 * child sits between its parents. Both share the random words, the point mutation and the traits.
 *
 * Token ids start at 1; 0 means "none" in lineage. A request reserves the id of the token it will
 * create: `requestId == childId`. Until it is completed that id does not exist ({IERC721-ownerOf}
 * reverts), so the existing ids are `1..lastTokenId()` minus the pending requests, and
 * {totalSupply} counts the tokens that exist.
 *
 * Administration: the owner ({Ownable2Step}) sets fees, URIs and the renderer commitment, and pauses. Ownership
 * moves in two steps ({Ownable2Step-transferOwnership} names a pending owner, who takes over with
 * {Ownable2Step-acceptOwnership}), so a typo never hands the unwithdrawn fees to an address nobody controls, and
 * it can never be renounced ({renounceOwnership} reverts): the owner's fees stay withdrawable, a pause can always
 * be lifted, and {IERC2981-royaltyInfo} never names address(0) while a royalty is set. The owner is always the
 * one holder of `DEFAULT_ADMIN_ROLE` (which grants and revokes `MINTER_ROLE`): the role cannot be granted to
 * anyone else nor renounced, and accepting ownership moves it to the new owner (minters stay until the new owner
 * revokes them; their grants are in the {IAccessControl-RoleGranted} events).
 *
 * Royalties (ERC-2981, OpenZeppelin's {ERC2981} behaviour for the default royalty): the deployer is the first
 * receiver; {setDefaultRoyalty} names another (never address(0)), {deleteDefaultRoyalty} removes the royalty. A
 * royalty paid to the owner follows ownership: when ownership moves while the receiver is the old owner, the
 * new owner becomes the receiver. Deliberately different from OpenZeppelin's {ERC2981}: one royalty for the whole
 * collection (no per-token royalty), and that hand-over.
 *
 * Dynamic traits (ERC-7496): every token has two on-chain traits that any contract can read, `fusions` (fusions
 * it has taken part in as a parent) and `restingUntil` (the first block at which it may fuse again), keyed by
 * `keccak256` of those names. Both change only in {requestFusion}, which announces them with
 * {IERC7496-TraitUpdatedList}.
 * A sale can require them unchanged since its order was signed: see {ILatentKinZone}.
 *
 * All amounts are in wei, all "blocks" are block numbers.
 */
interface ILatentKin is IERC2981, IERC4906, IERC7496 {
    // ------------------------------------------------------------------------------------------------
    // Types
    // ------------------------------------------------------------------------------------------------

    /// @notice Family record of a token. Stored packed beside the 64-bit attrs (see {LatentKin}).
    struct Lineage {
        uint32 parentA; // 0 for gen-0
        uint32 parentB; // 0 for gen-0
        uint16 generation; // max(parents' generations) + 1; 0 for gen-0
        uint16 fusionCount; // fusions this token has taken part in as a parent
        uint64 cooldownUntil; // first block at which it may be fused again
        uint8 mode; // the fusion mode it was made by: 0 crossover, 1 blend (0 for gen-0)
    }

    /// @notice A pending request (fusion or public mint). `requester == address(0)` once it is
    /// completed or if it never existed; `parentA == parentB == 0` for a public-mint request.
    struct FusionRequest {
        address requester; // receives the new token
        uint32 parentA;
        uint32 parentB;
        uint64 revealBlock; // the seed comes from this block's hash
        uint8 mode; // fusion mode: 0 crossover, 1 blend (0 for a public mint)
    }

    // ------------------------------------------------------------------------------------------------
    // Events
    // ------------------------------------------------------------------------------------------------

    /// @notice Emitted when `requester` asks to fuse `parentA` with `parentB`; the child will get id `requestId`.
    event FusionRequested(
        uint256 indexed requestId, address indexed requester, uint256 indexed parentA, uint256 parentB, uint64 revealBlock
    );

    /// @notice Emitted when `completer` completes fusion `childId` of `parentA` and `parentB` by fusion `mode`:
    /// `genomeOf(childId) == fusionOutcome(genomeOf(parentA), genomeOf(parentB), seed)` for crossover (`mode`
    /// 0), `blendOutcome(...)` with the same arguments for blend (`mode` 1).
    event Fused(
        uint256 indexed childId, uint256 indexed parentA, uint256 indexed parentB, uint256 seed, uint8 mode, address completer
    );

    /// @notice Emitted when `requester` pays for a public gen-0 mint; the token will get id `requestId`.
    event PublicMintRequested(uint256 indexed requestId, address indexed requester, uint64 revealBlock);

    /// @notice Emitted when `completer` completes the public-mint request `requestId`: the genome of `tokenId`
    /// is {GenomeLib-fromSeed}(`seed`) (`latentkin_core.genome.genome_from_seed`).
    event PublicMinted(uint256 indexed tokenId, uint256 indexed requestId, uint256 seed, address completer);

    /// @notice Emitted by {completeRequests} for each id it leaves as it is: `revealBlock == 0` when there is no
    /// pending request with id `requestId` (completed already, by anyone, or never made), else the request's
    /// reveal block, not mined yet (complete it later). Each id it completes emits {Fused} or {PublicMinted}.
    event CompletionSkipped(uint256 indexed requestId, uint64 revealBlock);

    /// @notice Emitted when `owner` lets `fuser` (or anyone, if `fuser == address(0)`) fuse with `tokenId` for `price`.
    event FusionOfferSet(uint256 indexed tokenId, address indexed owner, address indexed fuser, uint256 price);

    /// @notice Emitted when the fusion offer on `tokenId` is withdrawn, used up, or retired by a transfer.
    event FusionOfferCancelled(uint256 indexed tokenId);

    /// @notice Emitted when the royalty changes: `bps` basis points to `receiver` (both 0: the royalty was
    /// removed), also when ownership moves and the royalty with it.
    event RoyaltyChanged(address receiver, uint96 bps);

    /// @notice Emitted when the renderer commitment changes.
    event RendererHashChanged(bytes32 previousHash, bytes32 newHash);

    /// @notice Emitted when the fusion fee changes.
    event FusionFeeChanged(uint256 fee);

    /// @notice Emitted when the public mint price or cap changes.
    event PublicMintChanged(uint256 price, uint256 cap);

    /// @notice Emitted when the base URI of {IERC721Metadata-tokenURI} changes.
    event BaseURIChanged(string baseURI);

    /// @notice Emitted when {contractURI} changes (ERC-7572).
    event ContractURIUpdated();

    /// @notice Emitted when `account` withdraws `amount` it was owed.
    event Withdrawn(address indexed account, uint256 amount);

    /// @notice Emitted when `account` pauses minting and fusion.
    event Paused(address account);

    /// @notice Emitted when `account` lifts the pause.
    event Unpaused(address account);

    // ------------------------------------------------------------------------------------------------
    // Errors
    // ------------------------------------------------------------------------------------------------

    /// @notice Thrown when `caller` may not fuse `tokenId`: it neither owns it, nor is approved for it,
    /// nor holds a fusion offer on it.
    error LatentKinNotAuthorized(address caller, uint256 tokenId);

    /// @notice Thrown when {requestFusion} is asked for a fusion `mode` other than 0 (crossover) or 1 (blend).
    error LatentKinUnknownFusionMode(uint8 mode);

    /// @notice Thrown when `tokenId` is resting until block `untilBlock`.
    error LatentKinOnCooldown(uint256 tokenId, uint64 untilBlock);

    /// @notice Thrown when a token is asked to fuse with itself.
    error LatentKinSelfFusion(uint256 tokenId);

    /// @notice Thrown when `tokenId` has already taken part in {MAX_FUSIONS} fusions.
    error LatentKinFusionLimit(uint256 tokenId);

    /// @notice Thrown when `requestId` is completed before its reveal block has been mined.
    error LatentKinRevealTooEarly(uint256 requestId, uint64 revealBlock);

    /// @notice Thrown when there is no pending request of the right kind with id `requestId`
    /// (never made, already completed, or a public mint passed to {completeFusion} and vice versa).
    error LatentKinUnknownRequest(uint256 requestId);

    /// @notice Thrown when `sent` wei is less than the `required` fee (plus offer prices).
    error LatentKinFeeTooLow(uint256 sent, uint256 required);

    /// @notice Thrown when the `required` price (fee plus offer prices, or the public-mint price) is above the
    /// caller's `maxPrice`, e.g. because an offer's price or the fee was raised after the caller looked.
    error LatentKinPriceAboveMax(uint256 required, uint256 maxPrice);

    /// @notice Thrown when `account` withdraws but is owed nothing.
    error LatentKinNothingToWithdraw(address account);

    /// @notice Thrown when the public mint has reached its `cap` (a cap of 0 means the public mint is closed).
    error LatentKinMintCapReached(uint256 cap);

    /// @notice Thrown when a fusion offer would be indistinguishable from no offer (anyone, for free).
    error LatentKinInvalidOffer(uint256 tokenId);

    /// @notice Thrown when `caller` manages the fusion offer of `tokenId` but does not own it.
    error LatentKinNotTokenOwner(address caller, uint256 tokenId);

    /// @notice Thrown when minting, fusion or a public mint is attempted while paused.
    error LatentKinPaused();

    /// @notice Thrown when {unpause} is called while not paused.
    error LatentKinNotPaused();

    /// @notice Thrown when `DEFAULT_ADMIN_ROLE` would be granted to `account`, which is not the owner, or taken
    /// from the owner `account`: the owner is always the one admin, and the role moves only with ownership.
    error LatentKinAdminIsOwner(address account);

    /// @notice Thrown when {requestFusion} is asked to fuse `tokenId`, whose generation is already the last one
    /// (65,535): its child's generation could not be stored, so the request is refused before anything is paid.
    error LatentKinGenerationLimit(uint256 tokenId);

    /// @notice Thrown when trait `traitKey` is set with {IERC7496-setTrait}: LatentKin's traits follow from fusions
    /// alone, nobody sets them.
    error LatentKinTraitNotSettable(bytes32 traitKey);

    /// @notice Thrown by {renounceOwnership}: the contract always has an owner.
    error LatentKinOwnershipNotRenounceable();

    // ------------------------------------------------------------------------------------------------
    // Views
    // ------------------------------------------------------------------------------------------------

    /// @notice Number of tokens that exist (ids are never burned).
    function totalSupply() external view returns (uint256);

    /// @notice Highest id handed out so far, to a token or to a pending request.
    function lastTokenId() external view returns (uint256);

    /// @notice Genome of `tokenId`: 64 four-bit genes in `code`, 8 (main, sub) traits in `attrs`.
    /// @dev Requirements: `tokenId` must exist (else {IERC721Errors-ERC721NonexistentToken}).
    /// @return code gene j is `(code >> 4j) & 0xF`
    /// @return attrs trait i has main `(attrs >> 8i) & 0xF` and sub `(attrs >> (8i + 4)) & 0xF`
    function genomeOf(uint256 tokenId) external view returns (uint256 code, uint64 attrs);

    /// @notice Parents, generation, fusion count, cooldown and fusion mode (0 crossover, 1 blend) of `tokenId`.
    /// @dev Requirements: `tokenId` must exist.
    function lineageOf(uint256 tokenId) external view returns (Lineage memory);

    /// @notice The crossover fusion rule of genome v1 (mode 0): the child of X and Y under `seed`, each gene
    /// taken from one parent. Pure, so anyone can re-derive any crossover child from its parents and the seed
    /// of its {Fused} event.
    function fusionOutcome(uint256 codeX, uint64 attrsX, uint256 codeY, uint64 attrsY, uint256 seed)
        external
        pure
        returns (uint256 code, uint64 attrs);

    /// @notice The blend fusion rule of genome v1 (mode 1): the child of X and Y under `seed`, each gene the
    /// mean of the parents' genes rounded by a random bit, `(X.gene[j] + Y.gene[j] + bit j of R0) >> 1`;
    /// mutation and traits exactly as in {fusionOutcome}, from the same random words. Pure, so anyone can
    /// re-derive any blended child from its parents and the seed of its {Fused} event.
    /// @param codeX parent X's code (64 four-bit genes)
    /// @param attrsX parent X's traits
    /// @param codeY parent Y's code
    /// @param attrsY parent Y's traits
    /// @param seed the fusion's 256-bit seed (R_k = keccak256(abi.encode(seed, k)), see {GenomeLib})
    /// @return code the child's code
    /// @return attrs the child's traits
    function blendOutcome(uint256 codeX, uint64 attrsX, uint256 codeY, uint64 attrsY, uint256 seed)
        external
        pure
        returns (uint256 code, uint64 attrs);

    /// @notice The pending request `requestId`, or all zeros if it is completed or unknown.
    function fusionRequest(uint256 requestId) external view returns (FusionRequest memory);

    /// @notice The fusion offer the current owner of `tokenId` has made: `fuser` may fuse with it for
    /// `price` wei (paid to the owner); `fuser == address(0)` with `price > 0` means anyone may.
    /// `(address(0), 0)` means no offer. Every transfer retires the offer for good: the new owner starts with
    /// none, and it does not come back if the token returns to the owner who made it.
    function fusionOffer(uint256 tokenId) external view returns (address fuser, uint256 price);

    /// @notice Fee in wei that {requestFusion} charges on top of offer prices.
    function fusionFee() external view returns (uint256);

    /// @notice Price in wei of one {requestPublicMint}.
    function publicMintPrice() external view returns (uint256);

    /// @notice Maximum number of public mints ever; 0 closes the public mint.
    function publicMintCap() external view returns (uint256);

    /// @notice Number of public mints requested so far (completed or not).
    function publicMinted() external view returns (uint256);

    /// @notice Cooldown in blocks that a parent rests after its fusion number `fusionCount` (0-based):
    /// 4 blocks doubling with each fusion, capped at 50,400 blocks (about a week).
    function cooldownBlocks(uint16 fusionCount) external pure returns (uint64);

    /// @notice Maximum number of fusions a token may take part in as a parent.
    function MAX_FUSIONS() external pure returns (uint16);

    /// @notice Blocks between a request and its reveal block.
    function REVEAL_DELAY() external pure returns (uint64);

    /// @notice Wei that `account` can {withdraw}: offer payments and refunds, plus, for the contract owner,
    /// all fees collected.
    function pendingWithdrawal(address account) external view returns (uint256);

    /// @notice Commitment (e.g. a hash of weights + correspondence table) to the off-chain renderer.
    function rendererHash() external view returns (bytes32);

    /// @notice Collection-level metadata URI (ERC-7572).
    function contractURI() external view returns (string memory);

    /// @notice Whether minting, public-mint requests and fusion requests are paused (completions never are).
    function paused() external view returns (bool);

    // ------------------------------------------------------------------------------------------------
    // Minting
    // ------------------------------------------------------------------------------------------------

    /**
     * @notice Mints a gen-0 token with genome (`code`, `attrs`) to `to`.
     * @dev Like CryptoKitties' promo mint this does not call {IERC721Receiver-onERC721Received}; the minter
     * is trusted to mint to addresses that can hold tokens.
     *
     * Requirements: caller has `MINTER_ROLE`; not paused; `to` is not the zero address.
     *
     * Emits a {IERC721-Transfer} event.
     * @return tokenId the new token's id
     */
    function mint(address to, uint256 code, uint64 attrs) external returns (uint256 tokenId);

    /**
     * @notice Pays for a public gen-0 mint whose genome will come from the hash of a future block.
     * @param maxPrice the most the caller agrees to pay (protects against a price raised meanwhile)
     *
     * Requirements: not paused; `publicMintPrice() <= maxPrice`; `msg.value >= publicMintPrice()`; fewer than
     * `publicMintCap()` public mints so far. Any excess over the price is credited to the caller's
     * {pendingWithdrawal}.
     *
     * Emits a {PublicMintRequested} event.
     * @return requestId the request, and the id the token will get
     */
    function requestPublicMint(uint256 maxPrice) external payable returns (uint256 requestId);

    /**
     * @notice Completes public mint `requestId`: mints the token to its requester with the genome
     * {GenomeLib-fromSeed}(seed), seed as in {completeFusion} (the reveal block's hash, or the fallback once the
     * chain no longer serves it). Anyone may call it, also while paused. The token is minted without calling
     * {IERC721Receiver-onERC721Received}: the requester chose to receive it when it asked.
     *
     * Requirements: `requestId` is a pending public-mint request; its reveal block has been mined.
     *
     * Emits {IERC721-Transfer} and {PublicMinted}.
     * @return tokenId the minted token (== requestId)
     */
    function completePublicMint(uint256 requestId) external returns (uint256 tokenId);

    // ------------------------------------------------------------------------------------------------
    // Fusion
    // ------------------------------------------------------------------------------------------------

    /**
     * @notice Asks to fuse `parentA` with `parentB` by fusion `mode`: 0 crossover ({fusionOutcome}), 1 blend
     * ({blendOutcome}). The parents' cooldowns start now and their fusion counts grow; the child's genome is
     * fixed by the hash of block `block.number + REVEAL_DELAY`, which nobody knows yet, and the request cannot be
     * cancelled. Both modes cost the same fee and the same cooldown.
     *
     * For each parent the caller must own it, be approved for it ({IERC721-getApproved} or
     * {IERC721-isApprovedForAll}), or hold its owner's fusion offer (see {setFusionOffer}), whose price is
     * then paid to that owner and which is used up.
     *
     * Requirements: not paused; `mode` is 0 or 1 (else {LatentKinUnknownFusionMode}); `parentA != parentB`;
     * both exist, are authorized as above, are off cooldown, below {MAX_FUSIONS} and below the last generation
     * (else {LatentKinGenerationLimit}); `fusionFee() + offer prices <= maxPrice`; `msg.value >= fusionFee() +
     * offer prices` (any excess is credited to the caller's {pendingWithdrawal}).
     *
     * Emits a {FusionRequested} event, {IERC7496-TraitUpdatedList} for the `fusions` and the `restingUntil`
     * traits of both parents (one event per trait naming both, 1,611 gas less than a {IERC7496-TraitUpdated}
     * per parent and trait; read the new values with {IERC7496-getTraitValues}), {IERC4906-MetadataUpdate} for both
     * parents (their fusion count and cooldown changed) and {FusionOfferCancelled} for each offer used.
     * @param parentA parent X of the fusion rule
     * @param parentB parent Y of the fusion rule
     * @param mode 0 crossover, 1 blend; kept with the request, emitted in {Fused} and returned by {lineageOf}
     * @param maxPrice the most the caller agrees to pay in all (fee plus offer prices): an offer owner or the
     * contract owner who raises a price before the request lands makes it revert instead of taking more
     * @return requestId the request, and the id the child will get
     */
    function requestFusion(uint256 parentA, uint256 parentB, uint8 mode, uint256 maxPrice)
        external
        payable
        returns (uint256 requestId);

    /**
     * @notice Completes fusion `requestId`: the child gets `fusionOutcome(parentA, parentB, seed)` (or
     * `blendOutcome`, by the request's mode) and is minted to the requester, with seed =
     * `keccak256(abi.encode(h, address(this), requestId))`, `h` the reveal block's hash, or 0 once the chain no
     * longer serves it (after 8191 blocks with EIP-2935, else 256). See the contract-level notice for what this
     * leaves to chance and to whom. Anyone may call it, also while paused (a pause never changes an outcome),
     * and it never calls the requester ({IERC721Receiver-onERC721Received} is skipped), so no requester can
     * veto an outcome.
     *
     * Requirements: `requestId` is a pending fusion request; its reveal block has been mined.
     *
     * Emits {IERC721-Transfer} and {Fused}. The parents' metadata and traits do not change here (their fusion
     * count and cooldown changed at the request), so no {IERC4906-MetadataUpdate} is emitted for them.
     * @return childId the child (== requestId)
     */
    function completeFusion(uint256 requestId) external returns (uint256 childId);

    /**
     * @notice Completes every pending request among `requestIds`, fusions and public mints mixed, in one
     * transaction, each exactly as {completeFusion} or {completePublicMint} would (same seed, same token, same
     * event). An id that cannot be completed now is skipped, not reverted on, so one completion landing first
     * (anyone may complete, and front-runners exist) never costs a keeper its whole batch: an id already
     * completed, never requested, or whose reveal block is not mined yet emits {CompletionSkipped} and the
     * batch goes on. Anyone may call it, also while paused.
     *
     * Keeper throughput: inside a batch a completion costs about 57,000 gas (public mint) or 68,000 (fusion),
     * against 87,000 and 99,000 alone (benchmarks/gas.txt, batches of 50), so one transaction completes hundreds:
     * the service's keeper sends batches of half the block gas limit, about 260 public mints in a 30M-gas block,
     * several a block where there is room, oldest reveal first. On eth-tester (every transaction a block of its
     * own) the burst of issue 23 (282 public-mint requests made by one contract in one transaction) is completed
     * in 2 blocks, where one completion per transaction took 282 blocks and gave the last 28 their fallback.
     *
     * What remains: a request completed after its reveal hash left the window still gets the fallback, computable
     * in advance. To reach it a requester must now keep more requests revealed ahead of its own than the keepers
     * complete in the window: at one half-block batch a block, over 256 x 260 = about 67,000 requests (each at
     * least 25,900 gas made through a contract, plus the public-mint price, within the public-mint cap) on a
     * chain that serves 256 blocks (no EIP-2935, e.g. `hardhat node`), and over 8,191 x 260 = about 2.1 million
     * on mainnet (EIP-2935); or outbid every keeper for block space for the whole window; or outlast an outage of
     * every keeper.
     *
     * Requirements: none per id; the caller gives enough gas for the batch (the whole batch reverts if it runs
     * out, so size it: the service's keeper fills about half a block's gas limit per batch).
     *
     * Emits {IERC721-Transfer} and {Fused} or {PublicMinted} for each id completed, {CompletionSkipped} for each
     * id skipped.
     * @param requestIds the ids to complete, in the order given (an id given twice is completed once, then
     * skipped)
     * @return completed how many of `requestIds` this call completed
     */
    function completeRequests(uint256[] calldata requestIds) external returns (uint256 completed);

    /**
     * @notice Lets `fuser` (or anyone, if `fuser == address(0)`) use `tokenId` as a parent once, paying
     * `price` wei to the caller. Replaces the caller's previous offer on `tokenId`. The offer is tied to the
     * caller as owner: it is inert while someone else owns the token.
     *
     * Requirements: caller owns `tokenId`; not (`fuser == address(0)` and `price == 0`); `price < 2**96`.
     *
     * Emits a {FusionOfferSet} event.
     */
    function setFusionOffer(uint256 tokenId, address fuser, uint256 price) external;

    /**
     * @notice Withdraws the caller's fusion offer on `tokenId`.
     *
     * Requirements: caller owns `tokenId`.
     *
     * Emits a {FusionOfferCancelled} event.
     */
    function cancelFusionOffer(uint256 tokenId) external;

    /**
     * @notice Sends the caller everything {pendingWithdrawal} says it is owed (pull payment).
     *
     * Requirements: the caller is owed something; it accepts ETH.
     *
     * Emits a {Withdrawn} event.
     */
    function withdraw() external;

    // ------------------------------------------------------------------------------------------------
    // Owner settings
    // ------------------------------------------------------------------------------------------------

    /// @notice Sets the base of {IERC721Metadata-tokenURI} (`baseURI + id`).
    /// @dev Requirements: caller is the owner. Emits {BaseURIChanged} and {IERC4906-BatchMetadataUpdate} for all ids.
    function setBaseURI(string calldata baseURI) external;

    /// @notice Sets {contractURI}.
    /// @dev Requirements: caller is the owner. Emits {ContractURIUpdated}.
    function setContractURI(string calldata uri) external;

    /// @notice Commits to a new renderer (weights + correspondence table), so its images change.
    /// @dev Requirements: caller is the owner. Emits {RendererHashChanged} and {IERC4906-BatchMetadataUpdate}.
    function setRendererHash(bytes32 newHash) external;

    /// @notice Sets the fusion fee in wei.
    /// @dev Requirements: caller is the owner; `fee < 2**96`. Emits {FusionFeeChanged}.
    function setFusionFee(uint256 fee) external;

    /// @notice Sets the ERC-2981 royalty: `feeNumerator` basis points to `receiver` (see the contract notice for
    /// how a royalty paid to the owner follows ownership).
    /// @dev Requirements: caller is the owner; `receiver` is not address(0) (else
    /// {ERC2981-ERC2981InvalidDefaultRoyaltyReceiver}); `feeNumerator <= 10000` (else
    /// {ERC2981-ERC2981InvalidDefaultRoyalty}). Emits {RoyaltyChanged}.
    function setDefaultRoyalty(address receiver, uint96 feeNumerator) external;

    /// @notice Removes the ERC-2981 royalty: {IERC2981-royaltyInfo} then answers (address(0), 0).
    /// @dev Requirements: caller is the owner. Emits {RoyaltyChanged} with (address(0), 0).
    function deleteDefaultRoyalty() external;

    /// @notice Always reverts with {LatentKinOwnershipNotRenounceable}: without an owner the owner's fees could
    /// never be withdrawn, a pause never lifted and no setting changed. Hand ownership over with
    /// {Ownable2Step-transferOwnership} instead.
    function renounceOwnership() external;

    /// @notice Sets the public mint's price (wei) and lifetime cap (0 closes it).
    /// @dev Requirements: caller is the owner; `cap < 2**32`. Emits {PublicMintChanged}.
    function setPublicMint(uint256 price, uint256 cap) external;

    /// @notice Pauses minting, public-mint requests and fusion requests. Transfers, withdrawals and the
    /// completion of requests already made go on: a request's outcome is fixed when it is made, and a pause
    /// longer than the hash window would otherwise turn it into the fallback outcome.
    /// @dev Requirements: caller is the owner; not paused. Emits {Paused}.
    function pause() external;

    /// @notice Lifts the pause.
    /// @dev Requirements: caller is the owner; paused. Emits {Unpaused}.
    function unpause() external;
}

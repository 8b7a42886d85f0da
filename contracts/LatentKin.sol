// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ERC721} from "@openzeppelin/contracts/token/ERC721/ERC721.sol";
import {IERC721} from "@openzeppelin/contracts/token/ERC721/IERC721.sol";
import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {Ownable2Step} from "@openzeppelin/contracts/access/Ownable2Step.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {Address} from "@openzeppelin/contracts/utils/Address.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {IERC165} from "@openzeppelin/contracts/utils/introspection/IERC165.sol";
import {ERC2981} from "@openzeppelin/contracts/token/common/ERC2981.sol";

import {ILatentKin} from "./interfaces/ILatentKin.sol";
import {IERC7496} from "./interfaces/IERC7496.sol";
import {GenomeLib} from "./libraries/GenomeLib.sol";
import {TokenRecord, TokenRecordLib} from "./libraries/TokenRecordLib.sol";
import {PendingRequest, PendingRequestLib} from "./libraries/PendingRequestLib.sol";
import {Config} from "./libraries/ConfigLib.sol";
import {LatentKinTraits} from "./libraries/LatentKinTraits.sol";

/**
 * @title LatentKin
 * @notice See {ILatentKin}. The owner sets fees, URIs, the renderer commitment and pauses; `MINTER_ROLE`
 * mints gen-0 tokens; the owner is always the only `DEFAULT_ADMIN_ROLE` holder, so it grants minters.
 *
 * Storage per token id (two slots, both in `_tokens[id]`):
 *
 *     slot 0  code          the 256-bit genome code (see {GenomeLib});
 *                           before the token exists: the {PendingRequest} that will create it
 *     slot 1  record        attrs(64) | parentA(32) | parentB(32) | generation(16) | fusionCount(16)
 *                           | cooldownUntil(64) | mode(8), see {TokenRecordLib}; the ERC-7496 traits
 *                           `fusions` and `restingUntil` are read from it ({LatentKinTraits}), no slot of their own
 *
 * plus OpenZeppelin's owner and balance. The royalty is OpenZeppelin's {ERC2981} default royalty (one slot). Contract-wide counters, the pause flag and the fusion fee share
 * one slot ({ConfigLib}) that every mint, request and completion reads and writes once.
 *
 * Money: offer prices and over-payments are credited to their receivers (`_owed`); every other wei the
 * contract holds (fees, public-mint prices) is owed to the owner. Nothing is pushed; all is withdrawn.
 *
 * Calls out: {withdraw} sends ETH (guarded against re-entry); completions make one static call to the
 * EIP-2935 history contract; nothing else calls another contract (children are minted with `_mint`, no
 * receiver hook), so requests and completions need no re-entrancy guard.
 */
contract LatentKin is ILatentKin, ERC721, ERC2981, AccessControl, Ownable2Step, ReentrancyGuardTransient {
    using SafeCast for uint256;

    /// @notice Role allowed to {mint} gen-0 tokens.
    bytes32 public constant MINTER_ROLE = keccak256("MINTER_ROLE");

    uint16 private constant _MAX_FUSIONS = 16;
    uint64 private constant _REVEAL_DELAY = 1;
    uint64 private constant _BASE_COOLDOWN = 4; // blocks after a token's first fusion
    uint64 private constant _MAX_COOLDOWN = 50_400; // ~7 days of 12 s blocks
    /// @dev `blockhash` serves the last 256 blocks.
    uint256 private constant _BLOCKHASH_WINDOW = 256;
    /// @dev EIP-2935 history contract: `staticcall(abi.encode(n))` returns the hash of block n for the last 8191.
    address private constant _HISTORY = 0x0000F90827F1C53a10cb7A02335B175320002935;
    uint256 private constant _HISTORY_WINDOW = 8191;
    /// @dev Gas for one history read (it costs about 2,300: a cold SLOAD and a few opcodes).
    uint256 private constant _HISTORY_GAS = 10_000;
    /// @dev ERC-4906 declares only events, so `type(IERC4906).interfaceId` is 0; the EIP fixes its id instead.
    bytes4 private constant _ERC4906_INTERFACE_ID = 0x49064906;

    struct TokenSlots {
        uint256 code; // or, before the token exists, a PendingRequest
        TokenRecord record;
    }

    struct Offer {
        address fuser; // address(0): anyone (then price > 0)
        uint96 price;
    }

    Config private _config;
    mapping(uint256 tokenId => TokenSlots) private _tokens;
    /// @dev The current owner's offer: every transfer deletes it (see {_update}), so it never outlives the
    /// ownership it was made under.
    mapping(uint256 tokenId => Offer) private _offers;
    mapping(address account => uint256) private _owed;
    uint256 private _totalOwed;
    uint256 private _publicMintPrice;
    bytes32 private _rendererHash;
    string private _baseTokenURI;
    string private _contractURI;

    /**
     * @param initialOwner owner, role admin and royalty receiver
     * @param baseURI_ base of `tokenURI` (`baseURI_ + id`)
     * @param contractURI_ collection metadata URI (ERC-7572)
     * @param fusionFee_ fee in wei per fusion
     * @param royaltyBps ERC-2981 royalty in basis points (0 for none)
     */
    constructor(
        address initialOwner,
        string memory baseURI_,
        string memory contractURI_,
        uint256 fusionFee_,
        uint96 royaltyBps
    ) ERC721("LatentKin", "LKIN") Ownable(initialOwner) {
        _baseTokenURI = baseURI_;
        _contractURI = contractURI_;
        _config = _config.withFusionFee(fusionFee_.toUint96());
        _setRoyalty(initialOwner, royaltyBps);
    }

    // ------------------------------------------------------------------------------------------------
    // Views
    // ------------------------------------------------------------------------------------------------

    /// @inheritdoc ILatentKin
    function totalSupply() external view returns (uint256) {
        return _config.totalSupply();
    }

    /// @inheritdoc ILatentKin
    function lastTokenId() external view returns (uint256) {
        return _config.lastTokenId();
    }

    /// @inheritdoc ILatentKin
    function genomeOf(uint256 tokenId) external view returns (uint256 code, uint64 attrs) {
        _requireOwned(tokenId);
        TokenSlots storage slots = _tokens[tokenId];
        return (slots.code, slots.record.attrs());
    }

    /// @inheritdoc ILatentKin
    function lineageOf(uint256 tokenId) external view returns (Lineage memory) {
        _requireOwned(tokenId);
        TokenRecord r = _tokens[tokenId].record;
        return Lineage(r.parentA(), r.parentB(), r.generation(), r.fusionCount(), r.cooldownUntil(), r.mode());
    }

    /// @inheritdoc ILatentKin
    function fusionOutcome(uint256 codeX, uint64 attrsX, uint256 codeY, uint64 attrsY, uint256 seed)
        external
        pure
        returns (uint256 code, uint64 attrs)
    {
        GenomeLib.Genome memory child =
            GenomeLib.fuse(GenomeLib.Genome(codeX, attrsX), GenomeLib.Genome(codeY, attrsY), seed);
        return (child.code, child.attrs);
    }

    /// @inheritdoc ILatentKin
    function blendOutcome(uint256 codeX, uint64 attrsX, uint256 codeY, uint64 attrsY, uint256 seed)
        external
        pure
        returns (uint256 code, uint64 attrs)
    {
        GenomeLib.Genome memory child =
            GenomeLib.blend(GenomeLib.Genome(codeX, attrsX), GenomeLib.Genome(codeY, attrsY), seed);
        return (child.code, child.attrs);
    }

    /// @inheritdoc ILatentKin
    function fusionRequest(uint256 requestId) external view returns (FusionRequest memory) {
        PendingRequest p = PendingRequest.wrap(_tokens[requestId].code);
        if (!_isPending(requestId, p)) return FusionRequest(address(0), 0, 0, 0, 0);
        return FusionRequest(p.requester(), p.parentA(), p.parentB(), p.revealBlock(), p.mode());
    }

    /// @inheritdoc ILatentKin
    function fusionOffer(uint256 tokenId) external view returns (address fuser, uint256 price) {
        _requireOwned(tokenId);
        Offer memory offer = _offers[tokenId];
        return (offer.fuser, offer.price);
    }

    /// @inheritdoc ILatentKin
    function fusionFee() external view returns (uint256) {
        return _config.fusionFee();
    }

    /// @inheritdoc ILatentKin
    function publicMintPrice() external view returns (uint256) {
        return _publicMintPrice;
    }

    /// @inheritdoc ILatentKin
    function publicMintCap() external view returns (uint256) {
        return _config.publicMintCap();
    }

    /// @inheritdoc ILatentKin
    function publicMinted() external view returns (uint256) {
        return _config.publicMinted();
    }

    /// @inheritdoc ILatentKin
    function cooldownBlocks(uint16 fusionCount) public pure returns (uint64) {
        // 4 << 14 already exceeds the cap; below that the shift cannot overflow 64 bits.
        if (fusionCount >= 14) return _MAX_COOLDOWN;
        uint64 blocks = _BASE_COOLDOWN << fusionCount;
        return blocks < _MAX_COOLDOWN ? blocks : _MAX_COOLDOWN;
    }

    /// @inheritdoc ILatentKin
    function MAX_FUSIONS() external pure returns (uint16) {
        return _MAX_FUSIONS;
    }

    /// @inheritdoc ILatentKin
    function REVEAL_DELAY() external pure returns (uint64) {
        return _REVEAL_DELAY;
    }

    /// @inheritdoc ILatentKin
    function pendingWithdrawal(address account) external view returns (uint256) {
        if (account == owner()) return address(this).balance - _totalOwed + _owed[account];
        return _owed[account];
    }

    /// @inheritdoc ILatentKin
    function rendererHash() external view returns (bytes32) {
        return _rendererHash;
    }

    /// @inheritdoc ILatentKin
    function contractURI() external view returns (string memory) {
        return _contractURI;
    }

    /// @inheritdoc ILatentKin
    function paused() external view returns (bool) {
        return _config.paused();
    }

    /// @inheritdoc IERC7496
    function getTraitValue(uint256 tokenId, bytes32 traitKey) external view returns (bytes32) {
        _requireOwned(tokenId);
        return _traitValue(_tokens[tokenId].record, traitKey);
    }

    /// @inheritdoc IERC7496
    function getTraitValues(uint256 tokenId, bytes32[] calldata traitKeys)
        external
        view
        returns (bytes32[] memory traitValues)
    {
        _requireOwned(tokenId);
        TokenRecord record = _tokens[tokenId].record;
        traitValues = new bytes32[](traitKeys.length);
        for (uint256 i; i < traitKeys.length; ++i) {
            traitValues[i] = _traitValue(record, traitKeys[i]);
        }
    }

    /// @inheritdoc IERC7496
    function getTraitMetadataURI() external pure returns (string memory) {
        return LatentKinTraits.METADATA_URI;
    }

    /// @inheritdoc IERC7496
    /// @dev Always reverts: {TraitKeyUnknown} for a key that is not a trait, else {LatentKinTraitNotSettable}.
    function setTrait(uint256, bytes32 traitKey, bytes32) external pure {
        if (traitKey != LatentKinTraits.FUSIONS && traitKey != LatentKinTraits.RESTING_UNTIL) {
            revert TraitKeyUnknown(traitKey);
        }
        revert LatentKinTraitNotSettable(traitKey);
    }

    /// @inheritdoc IERC165
    function supportsInterface(bytes4 interfaceId)
        public
        view
        override(ERC721, ERC2981, AccessControl, IERC165)
        returns (bool)
    {
        return interfaceId == _ERC4906_INTERFACE_ID || interfaceId == type(IERC7496).interfaceId
            || super.supportsInterface(interfaceId);
    }

    // ------------------------------------------------------------------------------------------------
    // Minting
    // ------------------------------------------------------------------------------------------------

    /// @inheritdoc ILatentKin
    function mint(address to, uint256 code, uint64 attrs)
        external
        onlyRole(MINTER_ROLE)
        returns (uint256 tokenId)
    {
        Config config = _liveConfig();
        (config, tokenId) = config.withNextId();
        _config = config.withTokenMinted();
        _tokens[tokenId] = TokenSlots(code, TokenRecordLib.pack(attrs, 0, 0, 0, GenomeLib.CROSSOVER));
        _mint(to, tokenId);
    }

    /// @inheritdoc ILatentKin
    function requestPublicMint(uint256 maxPrice) external payable returns (uint256 requestId) {
        Config config = _liveConfig();
        uint32 minted = config.publicMinted();
        if (minted >= config.publicMintCap()) revert LatentKinMintCapReached(config.publicMintCap());
        _takePayment(_publicMintPrice, maxPrice);
        unchecked {
            config = config.withPublicMinted(minted + 1); // minted < cap <= type(uint32).max
        }
        (_config, requestId) = config.withNextId();
        uint32 revealBlock = _futureRevealBlock();
        _tokens[requestId].code = PendingRequest.unwrap(PendingRequestLib.pack(msg.sender, 0, 0, revealBlock, GenomeLib.CROSSOVER));
        emit PublicMintRequested(requestId, msg.sender, revealBlock);
    }

    /// @inheritdoc ILatentKin
    function completePublicMint(uint256 requestId) external returns (uint256 tokenId) {
        PendingRequest p = _pendingRequest(requestId);
        if (p.parentA() != 0) revert LatentKinUnknownRequest(requestId);
        _complete(requestId, p);
        return requestId;
    }

    // ------------------------------------------------------------------------------------------------
    // Fusion
    // ------------------------------------------------------------------------------------------------

    /// @inheritdoc ILatentKin
    function requestFusion(uint256 parentA, uint256 parentB, uint8 mode, uint256 maxPrice)
        external
        payable
        returns (uint256 requestId)
    {
        Config config = _liveConfig();
        if (mode > GenomeLib.BLEND) revert LatentKinUnknownFusionMode(mode);
        if (parentA == parentB) revert LatentKinSelfFusion(parentA);
        uint256 offerPrices = _authorizeParent(parentA); // separate statements: parent A is checked first
        offerPrices += _authorizeParent(parentB);
        _takePayment(config.fusionFee() + offerPrices, maxPrice);
        _startCooldown(parentA);
        _startCooldown(parentB);

        (_config, requestId) = config.withNextId();
        uint32 revealBlock = _futureRevealBlock();
        // Both parents exist, so their ids are at most lastTokenId, a uint32.
        _tokens[requestId].code = PendingRequest.unwrap(
            PendingRequestLib.pack(msg.sender, uint32(parentA), uint32(parentB), revealBlock, mode)
        );
        emit FusionRequested(requestId, msg.sender, parentA, parentB, revealBlock);
        // One ERC-7496 list event per trait naming both parents: 1,611 gas less than four TraitUpdated events,
        // which keeps a fusion under its 175,000 gas target (benchmarks/gas.txt).
        uint256[] memory parents = new uint256[](2);
        parents[0] = parentA;
        parents[1] = parentB;
        emit TraitUpdatedList(LatentKinTraits.FUSIONS, parents);
        emit TraitUpdatedList(LatentKinTraits.RESTING_UNTIL, parents);
        emit MetadataUpdate(parentA);
        emit MetadataUpdate(parentB);
    }

    /// @inheritdoc ILatentKin
    function completeFusion(uint256 requestId) external returns (uint256 childId) {
        PendingRequest p = _pendingRequest(requestId);
        // Slither (incorrect-equality): 0 is the exact marker of a public-mint request, not a balance.
        // slither-disable-next-line incorrect-equality
        if (p.parentA() == 0) revert LatentKinUnknownRequest(requestId);
        _complete(requestId, p);
        return requestId;
    }

    /// @inheritdoc ILatentKin
    function completeRequests(uint256[] calldata requestIds) external returns (uint256 completed) {
        for (uint256 i; i < requestIds.length; ++i) {
            uint256 requestId = requestIds[i];
            PendingRequest p = PendingRequest.wrap(_tokens[requestId].code);
            if (!_isPending(requestId, p)) {
                emit CompletionSkipped(requestId, 0); // completed already (by anyone), or never made
            } else if (block.number <= p.revealBlock()) {
                emit CompletionSkipped(requestId, p.revealBlock());
            } else {
                _complete(requestId, p);
                unchecked {
                    ++completed; // at most requestIds.length
                }
            }
        }
    }

    /// @inheritdoc ILatentKin
    function setFusionOffer(uint256 tokenId, address fuser, uint256 price) external {
        _requireTokenOwner(tokenId);
        if (fuser == address(0) && price == 0) revert LatentKinInvalidOffer(tokenId);
        _offers[tokenId] = Offer(fuser, price.toUint96());
        emit FusionOfferSet(tokenId, msg.sender, fuser, price);
    }

    /// @inheritdoc ILatentKin
    function cancelFusionOffer(uint256 tokenId) external {
        _requireTokenOwner(tokenId);
        delete _offers[tokenId];
        emit FusionOfferCancelled(tokenId);
    }

    /// @inheritdoc ILatentKin
    function withdraw() external nonReentrant {
        uint256 owed = _owed[msg.sender];
        if (owed != 0) {
            delete _owed[msg.sender];
            _totalOwed -= owed;
        }
        // The owner is owed everything not owed to someone else, its own credit included.
        uint256 amount = msg.sender == owner() ? address(this).balance - _totalOwed : owed;
        // Slither (incorrect-equality): only an empty withdrawal is refused; ETH forced in can only make the
        // owner's amount larger, never cause a wrong refusal or a double payment.
        // slither-disable-next-line incorrect-equality
        if (amount == 0) revert LatentKinNothingToWithdraw(msg.sender);
        emit Withdrawn(msg.sender, amount);
        Address.sendValue(payable(msg.sender), amount);
    }

    // ------------------------------------------------------------------------------------------------
    // Owner settings
    // ------------------------------------------------------------------------------------------------

    /// @inheritdoc ILatentKin
    function setBaseURI(string calldata baseURI) external onlyOwner {
        _baseTokenURI = baseURI;
        emit BaseURIChanged(baseURI);
        emit BatchMetadataUpdate(1, type(uint256).max);
    }

    /// @inheritdoc ILatentKin
    function setContractURI(string calldata uri) external onlyOwner {
        _contractURI = uri;
        emit ContractURIUpdated();
    }

    /// @inheritdoc ILatentKin
    function setRendererHash(bytes32 newHash) external onlyOwner {
        bytes32 previousHash = _rendererHash;
        _rendererHash = newHash;
        emit RendererHashChanged(previousHash, newHash);
        emit BatchMetadataUpdate(1, type(uint256).max);
    }

    /// @inheritdoc ILatentKin
    function setFusionFee(uint256 fee) external onlyOwner {
        _config = _config.withFusionFee(fee.toUint96());
        emit FusionFeeChanged(fee);
    }

    /// @inheritdoc ILatentKin
    function setDefaultRoyalty(address receiver, uint96 feeNumerator) external onlyOwner {
        _setRoyalty(receiver, feeNumerator);
    }

    /// @inheritdoc ILatentKin
    function deleteDefaultRoyalty() external onlyOwner {
        _deleteDefaultRoyalty();
        emit RoyaltyChanged(address(0), 0);
    }

    /// @inheritdoc ILatentKin
    function renounceOwnership() public pure override(ILatentKin, Ownable) {
        revert LatentKinOwnershipNotRenounceable();
    }

    /// @inheritdoc ILatentKin
    function setPublicMint(uint256 price, uint256 cap) external onlyOwner {
        _publicMintPrice = price;
        _config = _config.withPublicMintCap(cap.toUint32());
        emit PublicMintChanged(price, cap);
    }

    /// @inheritdoc ILatentKin
    function pause() external onlyOwner {
        _config = _liveConfig().withPaused(true);
        emit Paused(msg.sender);
    }

    /// @inheritdoc ILatentKin
    function unpause() external onlyOwner {
        Config config = _config;
        if (!config.paused()) revert LatentKinNotPaused();
        _config = config.withPaused(false);
        emit Unpaused(msg.sender);
    }

    // ------------------------------------------------------------------------------------------------
    // Internals
    // ------------------------------------------------------------------------------------------------

    /// @dev The config, read once; reverts if paused.
    function _liveConfig() private view returns (Config config) {
        config = _config;
        if (config.paused()) revert LatentKinPaused();
    }

    /// @dev The next request's reveal block; a request holds 31 bits of it (see {PendingRequestLib}).
    function _futureRevealBlock() private view returns (uint32) {
        uint256 revealBlock = block.number + _REVEAL_DELAY;
        if (revealBlock > PendingRequestLib.MAX_REVEAL_BLOCK) {
            revert SafeCast.SafeCastOverflowedUintDowncast(31, revealBlock);
        }
        return uint32(revealBlock);
    }

    /// @dev Checks `required <= maxPrice` and `msg.value >= required`; credits any excess back to the sender.
    function _takePayment(uint256 required, uint256 maxPrice) private {
        if (required > maxPrice) revert LatentKinPriceAboveMax(required, maxPrice);
        if (msg.value < required) revert LatentKinFeeTooLow(msg.value, required);
        if (msg.value > required) _credit(msg.sender, msg.value - required);
    }

    function _credit(address account, uint256 amount) private {
        _owed[account] += amount;
        _totalOwed += amount;
    }

    /// @dev Checks the caller may fuse `tokenId`; if only through an offer, uses the offer up, credits its
    /// price to the owner and returns it.
    function _authorizeParent(uint256 tokenId) private returns (uint256 price) {
        address tokenOwner = _requireOwned(tokenId);
        if (_isAuthorized(tokenOwner, msg.sender, tokenId)) return 0;
        Offer memory offer = _offers[tokenId];
        bool openToAll = offer.fuser == address(0) && offer.price != 0;
        if (offer.fuser != msg.sender && !openToAll) revert LatentKinNotAuthorized(msg.sender, tokenId);
        delete _offers[tokenId];
        emit FusionOfferCancelled(tokenId);
        price = offer.price;
        if (price != 0) _credit(tokenOwner, price);
    }

    /**
     * @dev Completes `requestId`, whose pending request is `p`, of either kind (a public mint when its parent A is
     * 0): derives the seed (reverting if the reveal block is not mined yet), stores the genome, mints the token to
     * the requester and emits {PublicMinted} or {Fused}. The one completion path of {completePublicMint},
     * {completeFusion} and {completeRequests}. Runs while paused: a pause never changes an outcome.
     */
    function _complete(uint256 requestId, PendingRequest p) private {
        uint256 seed = _seed(requestId, p);
        uint32 parentA = p.parentA();
        uint32 parentB = p.parentB();
        uint8 mode = p.mode();
        // Slither (incorrect-equality): 0 is the exact marker of a public-mint request, not a balance.
        // slither-disable-next-line incorrect-equality
        bool publicMint = parentA == 0;
        if (publicMint) {
            GenomeLib.Genome memory genome = GenomeLib.fromSeed(seed);
            _tokens[requestId] =
                TokenSlots(genome.code, TokenRecordLib.pack(genome.attrs, 0, 0, 0, GenomeLib.CROSSOVER));
        } else {
            _storeChild(requestId, parentA, parentB, seed, mode);
        }
        _config = _config.withTokenMinted();
        // `_mint`, not `_safeMint`: a requester's onERC721Received must not be able to refuse an outcome.
        _mint(p.requester(), requestId);
        if (publicMint) emit PublicMinted(requestId, requestId, seed, msg.sender);
        else emit Fused(requestId, parentA, parentB, seed, mode, msg.sender);
    }

    /// @dev Writes child `childId` of `parentA` and `parentB` under `seed` by fusion `mode` over its request.
    function _storeChild(uint256 childId, uint32 parentA, uint32 parentB, uint256 seed, uint8 mode) private {
        TokenSlots storage a = _tokens[parentA];
        TokenSlots storage b = _tokens[parentB];
        TokenRecord recordA = a.record;
        TokenRecord recordB = b.record;
        GenomeLib.Genome memory genome = GenomeLib.outcome(
            GenomeLib.Genome(a.code, recordA.attrs()), GenomeLib.Genome(b.code, recordB.attrs()), seed, mode
        );
        TokenSlots storage child = _tokens[childId];
        child.code = genome.code;
        child.record = TokenRecordLib.pack(genome.attrs, parentA, parentB, _nextGeneration(recordA, recordB), mode);
    }

    /// @dev One more than the older parent's generation.
    function _nextGeneration(TokenRecord a, TokenRecord b) private pure returns (uint16) {
        uint16 generationA = a.generation();
        uint16 generationB = b.generation();
        unchecked {
            // {_startCooldown} refused any parent of generation 65,535 at request, so this is at most 65,535.
            return (generationA > generationB ? generationA : generationB) + 1;
        }
    }

    /// @dev Checks `tokenId` may fuse now (count, cooldown, generation) and starts its cooldown: one SSTORE for
    /// count and cooldown (the caller emits their ERC-7496 trait events).
    function _startCooldown(uint256 tokenId) private {
        TokenSlots storage slots = _tokens[tokenId];
        TokenRecord r = slots.record;
        uint16 count = r.fusionCount();
        if (count >= _MAX_FUSIONS) revert LatentKinFusionLimit(tokenId);
        uint64 until = r.cooldownUntil();
        if (block.number < until) revert LatentKinOnCooldown(tokenId, until);
        if (r.generation() == type(uint16).max) revert LatentKinGenerationLimit(tokenId);
        unchecked {
            // count < _MAX_FUSIONS = 16; block.number + at most 50,400 is far below 2**64.
            ++count;
            until = uint64(block.number) + cooldownBlocks(count - 1);
        }
        slots.record = r.withFusion(count, until);
    }

    /// @dev The value of ERC-7496 trait `traitKey` in token record `record`; {TraitKeyUnknown} for another key.
    function _traitValue(TokenRecord record, bytes32 traitKey) private pure returns (bytes32) {
        if (traitKey == LatentKinTraits.FUSIONS) return bytes32(uint256(record.fusionCount()));
        if (traitKey == LatentKinTraits.RESTING_UNTIL) return bytes32(uint256(record.cooldownUntil()));
        revert TraitKeyUnknown(traitKey);
    }

    /// @dev The pending request `requestId`; reverts if there is none (never made, or already completed).
    function _pendingRequest(uint256 requestId) private view returns (PendingRequest p) {
        p = PendingRequest.wrap(_tokens[requestId].code);
        if (!_isPending(requestId, p)) revert LatentKinUnknownRequest(requestId);
    }

    /// @dev Whether `p`, the code slot of `requestId`, is a request still pending: it names a requester and no
    /// token has been minted at that id yet.
    function _isPending(uint256 requestId, PendingRequest p) private view returns (bool) {
        return p.requester() != address(0) && _ownerOf(requestId) == address(0);
    }

    /**
     * @dev The seed of request `requestId`: `keccak256(abi.encode(h, this, requestId))` with `h` the hash of its
     * reveal block, or 0 (the fallback, fixed since the request) once the chain no longer serves that hash.
     * Both candidates were fixed before anyone but the reveal block's builder could see either outcome.
     */
    function _seed(uint256 requestId, PendingRequest p) private view returns (uint256) {
        uint256 revealBlock = p.revealBlock();
        if (block.number <= revealBlock) revert LatentKinRevealTooEarly(requestId, uint64(revealBlock));
        return uint256(keccak256(abi.encode(_blockHash(revealBlock), address(this), requestId)));
    }

    /**
     * @dev The hash of past block `n` (< block.number) if the chain still serves it, else 0: `blockhash` for
     * the last 256 blocks, then the EIP-2935 history contract for the last 8191 where it exists. A chain
     * without that contract (no code: empty return data; a stand-in that reverts; one whose ring buffer is not
     * filled: zero) yields 0, as an expired hash does.
     *
     * A caller cannot fake "not served" by starving the call of gas: it is given `_HISTORY_GAS`, and if the
     * caller's gas cannot cover that (63/64 rule) at most 1/64 of it, under 160 gas, would be left after the
     * call, while a completion still writes fresh storage (over 40,000 gas) afterwards and so would revert.
     */
    function _blockHash(uint256 n) private view returns (bytes32 hash) {
        uint256 age = block.number - n;
        if (age <= _BLOCKHASH_WINDOW) return blockhash(n);
        if (age > _HISTORY_WINDOW) return 0;
        // Slither (low-level-calls): a static call to a fixed system contract that may be missing; every
        // failure is read as "no hash", which is what the chain serves then.
        // slither-disable-next-line low-level-calls
        (bool ok, bytes memory data) = _HISTORY.staticcall{gas: _HISTORY_GAS}(abi.encode(n));
        // Slither (incorrect-equality): 32 bytes is the exact size of an answer; anything else is no answer.
        // slither-disable-next-line incorrect-equality
        if (ok && data.length == 32) hash = abi.decode(data, (bytes32));
    }

    /// @dev OpenZeppelin's default royalty (which refuses a zero receiver and a rate above 100%), announced.
    function _setRoyalty(address receiver, uint96 bps) private {
        _setDefaultRoyalty(receiver, bps);
        emit RoyaltyChanged(receiver, bps);
    }

    function _requireTokenOwner(uint256 tokenId) private view {
        if (_requireOwned(tokenId) != msg.sender) revert LatentKinNotTokenOwner(msg.sender, tokenId);
    }

    function _baseURI() internal view override returns (string memory) {
        return _baseTokenURI;
    }

    /// @dev Every transfer retires the token's fusion offer, so an offer never outlives the ownership it was
    /// made under (nor revives if the token comes back). Mints have no offer to retire.
    function _update(address to, uint256 tokenId, address auth) internal override returns (address from) {
        from = super._update(to, tokenId, auth);
        if (from != address(0)) {
            Offer memory offer = _offers[tokenId];
            if (offer.fuser != address(0) || offer.price != 0) {
                delete _offers[tokenId];
                emit FusionOfferCancelled(tokenId);
            }
        }
    }

    /// @dev Moves `DEFAULT_ADMIN_ROLE` with ownership, so whoever owns the contract (alone) manages the minters,
    /// and a royalty paid to the previous owner to the new one. Runs when ownership is taken: in the constructor
    /// and in {Ownable2Step-acceptOwnership} (never with address(0): renouncing is refused).
    function _transferOwnership(address newOwner) internal override {
        address previousOwner = owner();
        super._transferOwnership(newOwner);
        if (previousOwner != address(0) && previousOwner != newOwner) {
            _revokeRole(DEFAULT_ADMIN_ROLE, previousOwner);
            (address receiver, uint256 bps) = royaltyInfo(0, _feeDenominator()); // the default royalty's rate
            if (receiver == previousOwner) _setRoyalty(newOwner, uint96(bps));
        }
        _grantRole(DEFAULT_ADMIN_ROLE, newOwner);
    }

    /// @dev `DEFAULT_ADMIN_ROLE` goes to the owner only (see {_transferOwnership}).
    function _grantRole(bytes32 role, address account) internal override returns (bool) {
        if (role == DEFAULT_ADMIN_ROLE && account != owner()) revert LatentKinAdminIsOwner(account);
        return super._grantRole(role, account);
    }

    /// @dev The owner keeps `DEFAULT_ADMIN_ROLE` until ownership moves (see {_transferOwnership}).
    function _revokeRole(bytes32 role, address account) internal override returns (bool) {
        if (role == DEFAULT_ADMIN_ROLE && account == owner()) revert LatentKinAdminIsOwner(account);
        return super._revokeRole(role, account);
    }
}
